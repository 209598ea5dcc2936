-- 0020 row-level security on series and series_members.
--
--  * A case's MDO series (0008) carries its case_id and is named
--    "MDO <case number>"; its members are the organisations involved in
--    the case.  Read directly by the server's role, series and
--    series_members told every user context that such a case exists
--    (docs/security.md rule 7, "MDO from a case").  The policies, in
--    sql/functions/91_intake_grants.sql, keep a series without a case
--    visible as before and an MDO series, with its members, only where the
--    case is connected for the user.
--
-- docs/security.md (the RLS table) and docs/schema.md describe it.

ALTER TABLE series ENABLE ROW LEVEL SECURITY;
ALTER TABLE series_members ENABLE ROW LEVEL SECURITY;
