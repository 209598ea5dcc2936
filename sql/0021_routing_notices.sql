-- 0021 the organisation given the lead of a case, and the case manager, are told.
--
--  * inbox_entries gains the kinds lead_assigned (update_routing or
--    move_case made the recipient organisation the case's lead
--    organisation, regie; recipient_user_id the case manager when that
--    person belongs to it) and case_manager_assigned (the recipient user
--    was made the case manager; recipient_org_id their organisation).
--    Made only for an organisation that may know the case exists (a
--    connection, docs/security.md rule 3); no personal data of their own.
--
-- sql/functions/55_intake.sql (tafel_routing_notices) makes them;
-- docs/protocol.md (7.12) and docs/schema.md describe them.

ALTER TABLE inbox_entries DROP CONSTRAINT inbox_entries_kind_check;
ALTER TABLE inbox_entries ADD CONSTRAINT inbox_entries_kind_check
	CHECK (kind IN ('action_done', 'action_cancelled', 'case_moved',
	    'case_closed', 'action_overdue', 'clock_set', 'clock_notice',
	    'agenda_published', 'info_round_asked', 'action_assigned',
	    'lead_assigned', 'case_manager_assigned'));
