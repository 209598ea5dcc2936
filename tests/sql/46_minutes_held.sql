-- The minutes and the case history date a meeting by when it was held
-- (opened .. closed), not by its planned start: a meeting planned for
-- tomorrow 13:30 but opened and closed today said "Datum: <tomorrow> 13:30
-- tot <today> 15:13", ending before it began, and the case history filed it
-- under tomorrow, after a meeting planned for tomorrow morning (findings
-- s15-C 5).  Minutes.opened_at, CaseHistoryEntry.held_at (0 while a meeting
-- is not held), the history in the order the meetings were held.

DO $$
DECLARE
	v_c bigint := test_case('politie', 'Vroeg gehouden',
	    '[{"role": "victim", "name": "Mila Vroeg", "birth_date": "1992-06-06"}]');
	-- planned tomorrow afternoon, held today (now)
	v_late bigint := test_meeting(test_series('casusoverleg_hg'), interval '1 day' + interval '4 hours');
	-- planned tomorrow morning, not held yet
	v_early bigint := test_meeting(test_series('casusoverleg_hg'), interval '1 day');
	it jsonb;
	n jsonb;
	h jsonb;
BEGIN
	PERFORM test_table(v_early, v_c);
	it := test_table(v_late, v_c);
	PERFORM test_open(v_late);
	PERFORM test_write('voorzitter', 'record_decision', jsonb_build_object(
	    'item_id', it -> 'id', 'version', tafel_json_item((it ->> 'id')::bigint)
		-> 'version', 'decision', 'Vroeg besloten'));
	PERFORM test_write('voorzitter', 'close_meeting', jsonb_build_object(
	    'meeting_id', v_late, 'version', tafel_json_meeting(v_late) -> 'version'));

	n := tafel_get_minutes(test_uid('politie'), v_late);
	ASSERT (n ->> 'opened_at')::bigint = tafel_unix(now()), n::text;
	ASSERT (n ->> 'opened_at')::bigint <= (n ->> 'closed_at')::bigint, n::text;
	ASSERT (n ->> 'opened_at')::bigint
	    < (n -> 'meeting' ->> 'scheduled_start')::bigint, n::text;
	-- not changed after closing: decided before it closed
	ASSERT NOT (n -> 'items' -> 0 ->> 'changed_after_close')::boolean,
	    n::text;

	-- the history: the meeting held today first, with when it was held;
	-- the one planned for tomorrow morning after it, not held
	h := tafel_get_case(test_uid('politie'), v_c) -> 'history';
	ASSERT jsonb_array_length(h) = 2, h::text;
	ASSERT (h -> 0 ->> 'meeting_id')::bigint = v_late, h::text;
	ASSERT (h -> 0 ->> 'held_at')::bigint = tafel_unix(now()), h::text;
	ASSERT h -> 0 ->> 'decision' = 'Vroeg besloten', h::text;
	ASSERT (h -> 1 ->> 'meeting_id')::bigint = v_early, h::text;
	ASSERT (h -> 1 ->> 'held_at')::bigint = 0, h::text;
END
$$;
