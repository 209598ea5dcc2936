-- 0023 audit_pending's arrays are stored without compression.
--
--  * A change pushed to a meeting of 1000 followers writes one
--    audit_pending row (0014) whose viewer arrays (uids, grp) come to
--    some 12 kB: TOASTed, and compressed with pglz in the push's own
--    transaction, only to be decompressed by the fold (tafel_audit_fold)
--    a second later and deleted.  pglz_compress was 3.8 % of
--    PostgreSQL's CPU at 1000 followers; stored EXTERNAL (out of line,
--    uncompressed) tafel_push_events took 9.9 instead of 10.5 ms for
--    1001 viewers (docs/benchmarks.md, session 24).  lz4 gained less.
--    The rows live about a second, so their size on disk does not count.

ALTER TABLE audit_pending
	ALTER COLUMN entries SET STORAGE EXTERNAL,
	ALTER COLUMN uids SET STORAGE EXTERNAL,
	ALTER COLUMN grp SET STORAGE EXTERNAL,
	ALTER COLUMN seqs SET STORAGE EXTERNAL;
