-- 0028 presence opens a case only for a user who may read cases at the moment the item is opened.
--
--  * user_read_changes: each change of a user's roles or disabling that
--    changes whether the user may read cases (a role admin, chair or
--    member, and not disabled), with when and what the user could before
--    (the trigger tafel_user_read_changed, 88_triggers.sql).
--    tafel_org_opened (30_covenant.sql) and tafel_access_many
--    (62_bulk.sql) read the roles and the disabling as they were when the
--    item was opened (tafel_could_read): they read them as they are now,
--    so an observer recorded present when a case was opened gave its
--    organisation the case in full once promoted to member, and so did a
--    member disabled but still recorded present, once enabled again
--    (tests/sql/65_presence_roles_at_opening.sql).
--  * Accounts already disabled: when is not known.  Their presence counted
--    until now (the disabling was not looked at), so a change is recorded
--    for each at this migration: what was opened before it still counts,
--    what is opened later does not.
--  * Nothing personal; row-level security with no policy (nothing for
--    tafel_app).

CREATE TABLE user_read_changes (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users (id),
	at		timestamptz NOT NULL DEFAULT clock_timestamp(),
	could_read	boolean NOT NULL
);
CREATE INDEX user_read_changes_user_idx ON user_read_changes (user_id, at);
ALTER TABLE user_read_changes ENABLE ROW LEVEL SECURITY;

INSERT INTO user_read_changes (user_id, could_read)
SELECT id, roles && ARRAY['admin', 'chair', 'member'] FROM users
WHERE disabled;
