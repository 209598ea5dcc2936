-- 0022 an opening outlives its agenda item: removing the current item keeps what its opening disclosed.
--
--  * agenda_item_openings.item_id: ON DELETE SET NULL instead of CASCADE.
--    A case opened at the table while a partner was present was shown to
--    that partner (docs/security.md rules 2 and 6: "a step the chair
--    really takes cannot be undone"); removing the item afterwards (only
--    the current item can be removed once opened: a discussed one stays)
--    no longer takes that access away again.  Before, it did, and the
--    live "eerder besproken" flag of a case matched with the removed one
--    went stale for that partner (tests/test_consistency.c).
--  * tafel_op_remove_agenda_item (50_write.sql) copies an opening known
--    only from agenda_items.opened_at (from before 0019) into the table
--    before it deletes the item.

ALTER TABLE agenda_item_openings ALTER COLUMN item_id DROP NOT NULL;
ALTER TABLE agenda_item_openings
	DROP CONSTRAINT agenda_item_openings_item_id_fkey;
ALTER TABLE agenda_item_openings
	ADD CONSTRAINT agenda_item_openings_item_id_fkey
	FOREIGN KEY (item_id) REFERENCES agenda_items (id) ON DELETE SET NULL;
