-- 0019 every time an agenda item is made current counts for presence.
--
--  * agenda_item_openings: each time an agenda item became the meeting's
--    current item (made current again after another item: a new row).
--    Access earned by presence (docs/security.md rules 2 and 6) counts
--    every opening while a member of the organisation was present, not
--    only the first (agenda_items.opened_at): a partner who arrives late
--    and for whom the chair returns to a case may then see it.  Filled by
--    a trigger (sql/functions/88_triggers.sql); the first openings of
--    earlier meetings are in agenda_items.opened_at, which still counts.
--    Nothing personal; tafel_app has no access (no grant, RLS on).

CREATE TABLE agenda_item_openings (
	item_id		bigint NOT NULL REFERENCES agenda_items (id)
			    ON DELETE CASCADE,
	case_id		bigint NOT NULL,
	meeting_id	bigint NOT NULL,
	opened_at	timestamptz NOT NULL
);
CREATE INDEX agenda_item_openings_case_idx
	ON agenda_item_openings (case_id, meeting_id);
ALTER TABLE agenda_item_openings ENABLE ROW LEVEL SECURITY;
