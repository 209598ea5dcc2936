-- An info round whose answers are hidden from a viewer (answers_hidden:
-- connected without case_summary, or the shared screen of such a room)
-- does not count the other organisations' overdue answers either.  Its
-- overdue_count counted every asked organisation: a partner without a
-- connection to the answers read "1 overdue" (and the client drew the
-- round red) where it saw no answer, and the shared screen with a
-- non-signatory present showed the round red although docs/security.md
-- rule 8 shows "red when overdue" only with the answers.

CREATE TEMP TABLE t_od AS SELECT 0::bigint AS c, 0::bigint AS m,
	test_org('Bureau Jeugdzorg Eemland-Twente') AS o_bjz,
	test_org('Woonstichting De Eemhof') AS o_woon;
SELECT tafel_pm_add('reclassering', 'Eemland', 'domestic_violence');
DO $$
DECLARE
	v_c bigint := test_case('politie', 'Achterstallig',
	    '[{"role": "suspect", "name": "Kees Laat", "birth_date": "1980-01-02"}]');
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
	v_m bigint := test_meeting(test_series('casusoverleg_hg'), interval '1 hour');
BEGIN
	PERFORM test_table(v_m, v_c);
	PERFORM test_write('reclassering', 'start_info_round', jsonb_build_object(
	    'case_id', v_c, 'reply_by', v_today + 2, 'org_ids',
	    (SELECT jsonb_build_array(o_bjz, o_woon) FROM t_od)));
	UPDATE t_od SET c = v_c, m = v_m;
END
$$;
-- time passes: the reply-by date lies behind us, neither has answered
UPDATE info_rounds SET reply_by = (now() AT TIME ZONE 'Europe/Amsterdam')::date - 1
WHERE case_id = (SELECT c FROM t_od);

DO $$
DECLARE
	x t_od;
	v jsonb;
BEGIN
	SELECT * INTO x FROM t_od;
	-- the process manager: both answers overdue
	v := tafel_list_info_rounds(test_uid('reclassering'), x.c, false)
	    -> 'rounds' -> 0;
	ASSERT (v ->> 'overdue_count')::int = 2, v::text;
	-- the prosecutor, a member of the series (connected, not involved):
	-- no answer shown, so no count of the late ones
	v := tafel_list_info_rounds(test_uid('om'), x.c, false) -> 'rounds' -> 0;
	ASSERT (v ->> 'answers_hidden')::boolean
	    AND jsonb_array_length(v -> 'asked') = 0, v::text;
	ASSERT (v ->> 'overdue_count')::int = 0,
	    'others'' overdue answers counted where none is shown: ' || v::text;
	-- an asked organisation without the others' answers: its own only
	v := tafel_list_info_rounds(test_uid('woningcorporatie'), x.c, false)
	    -> 'rounds' -> 0;
	ASSERT jsonb_array_length(v -> 'asked') = 1, v::text;
	ASSERT (v ->> 'overdue_count')::int = 1, v::text;
	-- the shared screen with the GP present hides the answers, and so
	-- the red
	PERFORM test_open(x.m);
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', x.m, 'user_id', test_uid('huisarts'), 'present', true));
	v := (SELECT r FROM jsonb_array_elements(tafel_snapshot(
	    test_uid('voorzitter'), x.m, true) -> 'snapshot' -> 'info_rounds') r
	    WHERE (r ->> 'case_id')::bigint = x.c);
	ASSERT (v ->> 'answers_hidden')::boolean, v::text;
	ASSERT (v ->> 'overdue_count')::int = 0,
	    'the shared screen counts overdue answers it hides: ' || v::text;
END
$$;
