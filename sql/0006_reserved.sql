-- 0006 is reserved for the SQL helper's migration (issue 8); this empty
-- placeholder only keeps the numbering without a gap on the recovery
-- branch.  Drop this file when merging that branch's 0006.
SELECT 1;
