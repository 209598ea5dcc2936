-- A decision changed after its meeting closed is marked, with who and when
-- (AgendaItem and CaseHistoryEntry decision_changed_after_close,
-- decision_by_name, decision_at; 20_json.sql, 60_read.sql): recorded by the
-- server's role tafel_app, as in production.

CREATE TEMP TABLE t_dac (c bigint, m bigint, item bigint, chair bigint,
    pol bigint);
GRANT SELECT ON t_dac TO tafel_app;

DO $$
DECLARE
	v_case jsonb := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Eemland", "summary": "Na sluiting",
	    "persons": [{"role": "victim", "name": "Iris Nasluiting",
	    "birth_date": "1991-05-05"}]}');
	v_c bigint := (v_case ->> 'id')::bigint;
	m jsonb;
	it jsonb;
	v_m bigint;
BEGIN
	m := test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('casusoverleg_hg'),
	    'scheduled_start', extract(epoch FROM now() + interval '1 hour')::bigint));
	v_m := (m ->> 'id')::bigint;
	it := test_table(v_m, v_c);
	m := test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', v_m, 'version', m -> 'version'));
	it := test_write('voorzitter', 'record_decision', jsonb_build_object(
	    'item_id', it -> 'id', 'version', tafel_json_item((it ->> 'id')::bigint)
		-> 'version', 'decision', 'Eerste besluit'));
	-- decided during the meeting: no mark
	ASSERT NOT (it ->> 'decision_changed_after_close')::boolean, it::text;
	ASSERT it ->> 'decision_by_name' = '' AND (it ->> 'decision_at')::bigint = 0,
	    it::text;
	m := test_write('voorzitter', 'close_meeting', jsonb_build_object(
	    'meeting_id', v_m, 'version', tafel_json_meeting(v_m) -> 'version'));
	-- closing alone is no change
	ASSERT NOT (tafel_json_item((it ->> 'id')::bigint)
	    ->> 'decision_changed_after_close')::boolean;
	INSERT INTO t_dac VALUES (v_c, v_m, (it ->> 'id')::bigint,
	    test_uid('voorzitter'), test_uid('politie'));
	-- the closing moment lies in the past, so the change is after it
	UPDATE meetings SET closed_at = closed_at - interval '1 second'
	WHERE id = v_m;
END
$$;

SET ROLE tafel_app;
SELECT set_config('tafel.user_id', (SELECT chair FROM t_dac)::text, true);

DO $$
DECLARE
	t t_dac;
	it jsonb;
	h jsonb;
BEGIN
	SELECT * INTO t FROM t_dac;
	it := tafel_write(t.chair, 'dac-key-1', 'record_decision',
	    jsonb_build_object('item_id', t.item, 'version', 2,
	    'decision', 'Gewijzigd besluit'));
	ASSERT (it ->> 'decision_changed_after_close')::boolean, it::text;
	ASSERT it ->> 'decision_by_name' = 'Anouk de Vries', it::text;
	ASSERT abs((it ->> 'decision_at')::bigint
	    - extract(epoch FROM now())::bigint) <= 5, it::text;

	-- the case's history says it too, to a partner who may see it
	PERFORM set_config('tafel.user_id', t.pol::text, true);
	h := tafel_get_case(t.pol, t.c) -> 'history';
	ASSERT jsonb_array_length(h) = 1, h::text;
	ASSERT (h -> 0 ->> 'decision_changed_after_close')::boolean, h::text;
	ASSERT h -> 0 ->> 'decision_by_name' = 'Anouk de Vries', h::text;
	ASSERT (h -> 0 ->> 'decision_at')::bigint = (it ->> 'decision_at')::bigint,
	    h::text;
END
$$;

RESET ROLE;

DO $$
BEGIN
	ASSERT tafel_json_item((SELECT item FROM t_dac)) ->> 'decision'
	    = 'Gewijzigd besluit';
	-- the meeting's agenda built at once (tafel_json_items, as the
	-- snapshot has it) carries the same mark
	ASSERT tafel_json_items((SELECT m FROM t_dac)) -> 0
	    = tafel_json_item((SELECT item FROM t_dac));
	ASSERT (tafel_json_items((SELECT m FROM t_dac)) -> 0
	    ->> 'decision_changed_after_close')::boolean;
END
$$;
