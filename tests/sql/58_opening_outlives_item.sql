-- Removing the current agenda item does not take back what its opening
-- showed the partners present (0022).  The agenda item's openings were
-- deleted with it, so the police, present when the chair opened a case of
-- Veilig Thuis, lost the case's persons again; the police's own case
-- with the same person then still showed "eerder besproken" live while a
-- fresh snapshot said no (tests/test_consistency.c, seed 2114276970).
-- The opening also keeps the case connected for the police (it may open
-- the case its earlier-cases list names).

DO $$
DECLARE
	v_x bigint := test_case('veiligthuis', 'Geopend',
	    '[{"role": "child", "name": "Sem Opening", "birth_date": "2014-03-03"}]');
	v_y bigint := test_case('politie', 'Eigen',
	    '[{"role": "child", "name": "Sem Opening", "birth_date": "2014-03-03"}]');
	v_pol bigint := test_uid('politie');
	v_m bigint;
	it jsonb;
	cur jsonb;
BEGIN
	v_m := test_meeting(test_series('casusoverleg_hg'), interval '1 hour');
	it := test_table(v_m, v_x);
	PERFORM test_open(v_m);
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', v_pol, 'present', true));
	-- not involved, not yet opened: no persons, no "eerder besproken"
	ASSERT NOT tafel_access(v_pol, v_x) -> 'cats' ? 'person_names',
	    tafel_access(v_pol, v_x);
	ASSERT NOT coalesce((tafel_access_earlier(v_pol, jsonb_build_object(
	    v_y::text, tafel_access(v_pol, v_y))) -> v_y::text ->> 'earlier')
	    ::boolean, false);

	PERFORM test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_m, 'item_id', it -> 'id'));
	ASSERT tafel_access(v_pol, v_x) -> 'cats' ?& ARRAY['person_names',
	    'birth_dates'], tafel_access(v_pol, v_x);
	ASSERT (tafel_access_earlier(v_pol, jsonb_build_object(v_y::text,
	    tafel_access(v_pol, v_y))) -> v_y::text ->> 'earlier')::boolean;

	-- youth care, a member of the series not present, knows the case
	-- while it is on the agenda, without its persons
	ASSERT tafel_case_connected(test_uid('jeugdzorg'), v_x);
	ASSERT NOT tafel_access(test_uid('jeugdzorg'), v_x) -> 'cats'
	    ? 'person_names';

	-- the chair removes the current item: what the police saw stays seen
	cur := tafel_json_item((it ->> 'id')::bigint);
	PERFORM test_write('voorzitter', 'remove_agenda_item', jsonb_build_object(
	    'item_id', it -> 'id', 'version', cur -> 'version'));
	ASSERT NOT EXISTS (SELECT 1 FROM agenda_items WHERE case_id = v_x);
	ASSERT tafel_access(v_pol, v_x) -> 'cats' ?& ARRAY['person_names',
	    'birth_dates'], tafel_access(v_pol, v_x);
	ASSERT (tafel_access_earlier(v_pol, jsonb_build_object(v_y::text,
	    tafel_access(v_pol, v_y))) -> v_y::text ->> 'earlier')::boolean;
	-- the set-based access (62_bulk.sql) agrees
	ASSERT tafel_cases_access(v_pol, 0, 0, ARRAY[v_x]) -> v_x::text -> 'cats'
	    ?& ARRAY['person_names', 'birth_dates'],
	    tafel_cases_access(v_pol, 0, 0, ARRAY[v_x]);
	-- the opening is kept, without its item
	ASSERT EXISTS (SELECT 1 FROM agenda_item_openings
	    WHERE case_id = v_x AND meeting_id = v_m AND item_id IS NULL);
	-- and the case stays known to it (a connection, protocol.md 9.2):
	-- its earlier-cases list, which names the case, can be followed
	ASSERT tafel_case_connected(v_pol, v_x);
	ASSERT tafel_org_connected(test_org('Politie Eenheid Oost-Nederland'),
	    v_x);
	ASSERT (tafel_access_many(v_pol, ARRAY[v_x]) -> v_x::text ->> 'connected')
	    ::boolean;
	-- a partner who was not present gains nothing, and no longer knows
	-- the case once it left the agenda
	ASSERT NOT tafel_access(test_uid('jeugdzorg'), v_x) -> 'cats'
	    ? 'person_names';
	ASSERT NOT tafel_case_connected(test_uid('jeugdzorg'), v_x);
END
$$;
