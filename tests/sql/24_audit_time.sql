-- tafelctl audit prints times as Amsterdam wall-clock time with the zone
-- name (tafel_audit_time, 80_admin.sql), whatever the session's zone; the
-- FROM/TO of `audit user` are Amsterdam dates.

SET LOCAL TimeZone = 'UTC';

DO $$
BEGIN
	IF tafel_audit_time('2026-07-01 10:00:05+00') <> '2026-07-01 12:00:05 CEST' THEN
		RAISE EXCEPTION 'summer: %', tafel_audit_time('2026-07-01 10:00:05+00');
	END IF;
	IF tafel_audit_time('2026-11-29 23:30:00+00') <> '2026-11-30 00:30:00 CET' THEN
		RAISE EXCEPTION 'winter: %', tafel_audit_time('2026-11-29 23:30:00+00');
	END IF;
	IF current_setting('TimeZone') <> 'UTC' THEN
		RAISE EXCEPTION 'the session zone changed: %', current_setting('TimeZone');
	END IF;
END
$$;
