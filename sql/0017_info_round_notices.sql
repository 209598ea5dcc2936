-- 0017 an info round's notice in the inbox of each organisation it asks.
--
--  * inbox_entries gains the kind info_round_asked (start_info_round: one
--    entry per asked organisation, from the process manager who started
--    it) and the column info_round_id, the round it is about; a unique
--    index makes it once per round and organisation.  The entry names the
--    case number and the round's reply-by date only: no personal data.
--
-- The functions are in sql/functions/57_prep.sql and 58_inbox.sql;
-- docs/schema.md and docs/protocol.md (sections 7.10, 7.12) describe it.

ALTER TABLE inbox_entries
	ADD COLUMN info_round_id bigint REFERENCES info_rounds (id);
ALTER TABLE inbox_entries DROP CONSTRAINT inbox_entries_kind_check;
ALTER TABLE inbox_entries ADD CONSTRAINT inbox_entries_kind_check
	CHECK (kind IN ('action_done', 'action_cancelled', 'case_moved',
	    'case_closed', 'action_overdue', 'clock_set', 'clock_notice',
	    'agenda_published', 'info_round_asked'));
ALTER TABLE inbox_entries ADD CONSTRAINT inbox_entries_round_check
	CHECK ((kind = 'info_round_asked') = (info_round_id IS NOT NULL));
CREATE UNIQUE INDEX inbox_entries_round_once
	ON inbox_entries (info_round_id, recipient_org_id, kind)
	WHERE info_round_id IS NOT NULL;
