-- 0010 prep: a placeholder on the after-the-meeting branch (h-after) only.
--
-- The migration runner needs contiguous numbers; the legal clocks, info round and agenda proposals work (branch
-- h-prep) owns 0010.  When the branches are merged, h-prep's
-- 0010_prep.sql replaces this file.
SELECT 1;
