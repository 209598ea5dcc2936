-- 0018 an action point handed to another organisation is announced there.
--
--  * inbox_entries gains the kind action_assigned: update_action that
--    moves an action point to another owner organisation leaves one entry
--    in the new owner's inbox (action_id, case_id, from whom), rendered
--    like the other action kinds; no personal data of its own.
--
-- Who may move an action point to another organisation is in
-- sql/functions/50_write.sql (tafel_may_agree_action); docs/schema.md and
-- docs/protocol.md (sections 7.3, 7.12) describe it.

ALTER TABLE inbox_entries DROP CONSTRAINT inbox_entries_kind_check;
ALTER TABLE inbox_entries ADD CONSTRAINT inbox_entries_kind_check
	CHECK (kind IN ('action_done', 'action_cancelled', 'case_moved',
	    'case_closed', 'action_overdue', 'clock_set', 'clock_notice',
	    'agenda_published', 'info_round_asked', 'action_assigned'));
