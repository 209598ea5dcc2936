-- 0014 the push's disclosures recorded once per delivery, folded later.
--
--  * audit_pending: what one call of the push (tafel_push_events, or a
--    resume, tafel_events_for_viewer) disclosed, in one row written in the
--    push's own transaction: groups of audit entries (entries[k]: a JSON
--    array of {org_id, case_id, categories, meeting_id, context}) and
--    their members (grp[i] = k: viewer uids[i] got group k); seqs[k] is
--    the change of group k (a push: all the same; a resume: one each).  One row per
--    change rendered, whatever the number of viewers, instead of one
--    upsert per viewer (which cost some 18 ms of a change to 1000
--    viewers).  Folded into audit_disclosures (0012) in bulk by
--    tafel_audit_fold (70_push.sql), which tafeld runs every second and
--    every audit query of the privacy officer runs first, so the answers
--    are the same as if each push had written its disclosures itself.
--  * Like audit_disclosures: no personal data, row-level security with no
--    policy (nothing for tafel_app); rows are only inserted, and deleted
--    only by the fold that moves them into audit_disclosures (88_triggers).
--  * audit_disclosures is looked up by case alone (its last_at changes at
--    every fold; out of the index, the fold's updates can stay on their
--    page), with room on its pages for those updates.

CREATE TABLE audit_pending (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL,
	entries		jsonb[] NOT NULL,
	seqs		bigint[] NOT NULL,
	grp		int[] NOT NULL,
	uids		bigint[] NOT NULL,
	CHECK (cardinality(seqs) = cardinality(entries)),
	CHECK (cardinality(grp) = cardinality(uids))
);

ALTER TABLE audit_pending ENABLE ROW LEVEL SECURITY;

DROP INDEX audit_disclosures_case_idx;
CREATE INDEX audit_disclosures_case_idx ON audit_disclosures (case_id);
ALTER TABLE audit_disclosures SET (fillfactor = 50);
