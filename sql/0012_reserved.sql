-- 0012 is reserved for another branch of this session (audit13); this
-- empty placeholder keeps the list numbered 1..n until that branch is
-- merged.  When merging: replace this file by audit13's 0012 (or keep it
-- if audit13 needed no migration).
SELECT 1;
