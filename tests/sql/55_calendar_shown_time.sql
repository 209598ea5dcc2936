-- The calendar (list_calendar) dates a meeting by the time it shows: when
-- it was opened, else its planned start.  An SSO opened at 03:27 but
-- planned for later was listed below a WZT planned at 09:30 the same day
-- (ordered by planned start while showing the opening time), and its
-- clashes went by the planned time, not the time on the screen.

DO $$
DECLARE
	v_s bigint := test_series('casusoverleg_hg');
	-- planned tomorrow, an hour after v_next; opened now (today)
	v_open bigint := test_meeting(v_s, interval '25 hours');
	-- planned tomorrow, not opened
	v_next bigint := test_meeting(v_s, interval '1 day');
	-- planned an hour from now
	v_soon bigint := test_meeting(v_s, interval '1 hour');
	v jsonb;
	ids bigint[];
	e jsonb;
BEGIN
	PERFORM test_open(v_open);

	v := tafel_list_calendar(test_uid('politie'), NULL, NULL);
	-- the order of the shown times: opened now, in an hour, tomorrow
	ids := ARRAY(SELECT (q -> 'meeting' ->> 'id')::bigint
	    FROM jsonb_array_elements(v -> 'entries') WITH ORDINALITY x(q, i)
	    WHERE (q -> 'meeting' ->> 'id')::bigint IN (v_open, v_next, v_soon)
	    ORDER BY i);
	ASSERT ids = ARRAY[v_open, v_soon, v_next], format('%s: %s', ids, v);
	-- the list as a whole is in the order of its shown times
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v -> 'entries')
	    WITH ORDINALITY x(q, i) JOIN jsonb_array_elements(v -> 'entries')
	    WITH ORDINALITY y(r, j) ON j = i + 1
	    WHERE coalesce(nullif((q -> 'meeting' ->> 'held_at')::bigint, 0),
		(q -> 'meeting' ->> 'scheduled_start')::bigint)
		> coalesce(nullif((r -> 'meeting' ->> 'held_at')::bigint, 0),
		(r -> 'meeting' ->> 'scheduled_start')::bigint)), v::text;
	-- clashes by the shown time: the open one with the one in an hour,
	-- no longer with the one planned an hour before its planned start
	SELECT q INTO e FROM jsonb_array_elements(v -> 'entries') q
	WHERE (q -> 'meeting' ->> 'id')::bigint = v_open;
	ASSERT e -> 'clash_ids' @> jsonb_build_array(v_soon)
	    AND NOT e -> 'clash_ids' @> jsonb_build_array(v_next), e::text;
	SELECT q INTO e FROM jsonb_array_elements(v -> 'entries') q
	WHERE (q -> 'meeting' ->> 'id')::bigint = v_next;
	ASSERT NOT e -> 'clash_ids' @> jsonb_build_array(v_open), e::text;

	-- the range too: tomorrow alone holds the one planned for tomorrow,
	-- not the one opened today
	v := tafel_list_calendar(test_uid('politie'),
	    tafel_datestr(tafel_today() + 1), tafel_datestr(tafel_today() + 1));
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v -> 'entries') q
	    WHERE (q -> 'meeting' ->> 'id')::bigint = v_open), v::text;
	ASSERT EXISTS (SELECT 1 FROM jsonb_array_elements(v -> 'entries') q
	    WHERE (q -> 'meeting' ->> 'id')::bigint = v_next), v::text;
END
$$;
