-- 0013 before the meeting: notices that reach an organisation's inbox.
--
--  * inbox_entries gains the kinds clock_set and clock_notice (a legal
--    clock whose kind implies a notice, e.g. police custody to probation:
--    told when the clock is set and again on its notice day) and
--    agenda_published (a series' agenda was published: one entry per
--    member organisation).  case_id becomes optional (an agenda has no
--    case); meeting_id, clock_id and notice_on say what an entry is about.
--  * Unique indexes make each notice once: per clock, organisation, kind
--    and notice day (an extended clock gets a new notice for its new end);
--    per meeting, organisation and kind.
--
-- The functions are in sql/functions/57_prep.sql and 58_inbox.sql;
-- docs/schema.md and docs/protocol.md (sections 7.8, 7.9, 7.11) describe it.

ALTER TABLE inbox_entries ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE inbox_entries
	ADD COLUMN meeting_id bigint REFERENCES meetings (id),
	ADD COLUMN clock_id bigint REFERENCES case_clocks (id) ON DELETE CASCADE,
	ADD COLUMN notice_on date;
ALTER TABLE inbox_entries DROP CONSTRAINT inbox_entries_kind_check;
ALTER TABLE inbox_entries ADD CONSTRAINT inbox_entries_kind_check
	CHECK (kind IN ('action_done', 'action_cancelled', 'case_moved',
	    'case_closed', 'action_overdue', 'clock_set', 'clock_notice',
	    'agenda_published'));
ALTER TABLE inbox_entries ADD CONSTRAINT inbox_entries_about_check
	CHECK (CASE WHEN kind = 'agenda_published' THEN meeting_id IS NOT NULL
	    WHEN kind LIKE 'clock_%' THEN clock_id IS NOT NULL
		AND case_id IS NOT NULL AND notice_on IS NOT NULL
	    ELSE case_id IS NOT NULL END);
CREATE UNIQUE INDEX inbox_entries_clock_once
	ON inbox_entries (clock_id, recipient_org_id, kind, notice_on)
	WHERE clock_id IS NOT NULL;
CREATE UNIQUE INDEX inbox_entries_meeting_once
	ON inbox_entries (meeting_id, recipient_org_id, kind)
	WHERE meeting_id IS NOT NULL;
