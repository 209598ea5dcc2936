-- 0016 an organisation can be disabled as a whole.
--
--  * tafelctl org disable disabled the organisation's users, but nothing
--    stopped a user added (or enabled) later from logging in: the
--    organisation itself kept no mark.  organisations.disabled is that
--    mark; a trigger on users (88_triggers.sql) keeps every user of a
--    disabled organisation disabled, so the login, the resume tickets and
--    every other check that reads users.disabled hold for the whole
--    organisation.  tafelctl org enable lifts the mark (its users stay
--    disabled until each is enabled).
ALTER TABLE organisations
	ADD COLUMN disabled boolean NOT NULL DEFAULT false;
