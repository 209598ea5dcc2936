-- A text that must not be blank is refused when it holds only spaces, tabs,
-- line feeds or carriage returns (protocol.md 5.5): a description, the
-- note that completes or cancels an action point, a nomination's reason,
-- and a case closed with its reason and evaluation made of line feeds.
-- Texts with blanks around them are kept without them.

DO $$
DECLARE
	c jsonb := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Enschede-Noord", "summary": "x"}');
	v_args jsonb;
	a jsonb;
	e jsonb;
	b text;
BEGIN
	v_args := jsonb_build_object('case_id', c -> 'id',
	    'owner_org_id', test_org('Veilig Thuis Eemland-Twente'),
	    'due_date', to_char(current_date + 5, 'YYYY-MM-DD'));
	FOREACH b IN ARRAY ARRAY[E'\n', E' \t\n ', E'\r\n', E'\t'] LOOP
		e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
		    'politie', 'create_action', v_args
		    || jsonb_build_object('description', b)));
		ASSERT e ->> 'hint' = 'description', e::text;
		e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
		    'politie', 'nominate_case', jsonb_build_object('series_id',
			test_series('wzt'), 'case_id', c -> 'id', 'reason', b)));
		ASSERT e ->> 'hint' = 'reason', e::text;
	END LOOP;

	a := test_write('politie', 'create_action', v_args
	    || jsonb_build_object('description', E'\n Bellen \n'));
	ASSERT a ->> 'state' = 'open', a::text;
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'veiligthuis', 'update_action', a || jsonb_build_object('description',
		E'\n\n')));
	ASSERT e ->> 'hint' = 'description', e::text;
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'veiligthuis', 'complete_action', jsonb_build_object('id', a -> 'id',
		'version', a -> 'version', 'note', E'\n')));
	ASSERT e ->> 'hint' = 'note', e::text;
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'veiligthuis', 'cancel_action', jsonb_build_object('id', a -> 'id',
		'version', a -> 'version', 'note', E'\t \n')));
	ASSERT e ->> 'hint' = 'note', e::text;
	a := test_write('veiligthuis', 'complete_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version',
	    'note', E'\nGebeld, afspraak gemaakt.\n'));
	ASSERT a ->> 'state' = 'done', a::text;
	ASSERT (SELECT completion_note FROM action_points
	    WHERE id = (a ->> 'id')::bigint) = 'Gebeld, afspraak gemaakt.';
END
$$;
