-- 0025 when an action point's agreement was last edited.
--
--  * action_points.edited_at: set by update_action (its description,
--    owner, due date or goal), not by completing or cancelling it, so
--    that the minutes can mark an action point whose agreement was
--    changed after the meeting closed ("na sluiten gewijzigd",
--    MinutesItem.actions_changed_after_close), as they mark a decision
--    changed after closing: the minutes are what the partners are held
--    to, and a later edit must not pass for what was agreed at the table.
--    NULL: never edited (rows from before this migration included: their
--    edits are not known).

ALTER TABLE action_points ADD COLUMN edited_at timestamptz;
