-- 0008 intake: a placeholder on the planning branch (h-planning) only.
--
-- The migration runner needs contiguous numbers; the intake work (branch
-- h-intake) owns 0008.  When the branches are merged, intake's
-- 0008_intake.sql replaces this file.
SELECT 1;
