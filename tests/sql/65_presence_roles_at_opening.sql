-- Presence opens a case only when the user present may read cases at the
-- moment the item is opened (docs/security.md rule 6).  The roles and the
-- disabling were read at the time of the read instead: an observer
-- recorded present when the chair opened a case, promoted to member
-- afterwards, gave its organisation the case in full (names, summary); so
-- did a member disabled (left the organisation, a lost laptop) but still
-- recorded present when it was opened, once enabled again, and a colleague
-- all along.  What an organisation was shown while it could read stays
-- seen when its member is disabled or made an observer later (0022).

DO $$
DECLARE
	v_x bigint := test_case('veiligthuis', 'Geopend voor een waarnemer',
	    '[{"role": "victim", "name": "Roos Waarnemer", "birth_date": "1991-01-01"}]');
	v_y bigint := test_case('veiligthuis', 'Geopend voor een uitgeschakelde',
	    '[{"role": "victim", "name": "Iris Uitgezet", "birth_date": "1992-02-02"}]');
	v_z bigint := test_case('veiligthuis', 'Geopend voor een aanwezige',
	    '[{"role": "victim", "name": "Lieke Aanwezig", "birth_date": "1993-03-03"}]');
	v_sh bigint := test_org('Slachtofferhulp Nederland, team Oost');
	v_obs bigint;
	v_om bigint := test_uid('om');
	v_jz bigint := test_uid('jeugdzorg');
	v_m bigint;
	ix jsonb;
	iy jsonb;
	iz jsonb;
BEGIN
	INSERT INTO users (login, display_name, org_id, roles)
	VALUES ('sh-waarnemer', 'Waarnemer Slachtofferhulp', v_sh, '{observer}')
	RETURNING id INTO v_obs;
	v_m := test_meeting(test_series('casusoverleg_hg'), interval '1 hour');
	ix := test_table(v_m, v_x);
	iy := test_table(v_m, v_y);
	iz := test_table(v_m, v_z);
	PERFORM test_open(v_m);
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', v_obs, 'present', true));
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', v_om, 'present', true));
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', v_jz, 'present', true));

	-- the observer is present when x is opened: nothing for its organisation
	PERFORM test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_m, 'item_id', ix -> 'id'));
	-- the prosecutor's only account is disabled, still recorded present,
	-- when y is opened
	UPDATE users SET disabled = true WHERE id = v_om;
	PERFORM test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_m, 'item_id', iy -> 'id'));
	-- youth care is present and may read when z is opened
	PERFORM test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_m, 'item_id', iz -> 'id'));

	-- later: the observer becomes a member, the prosecutor is enabled
	-- again, youth care's account is disabled and enabled again
	UPDATE users SET roles = '{member}' WHERE id = v_obs;
	UPDATE users SET disabled = false WHERE id = v_om;
	UPDATE users SET disabled = true WHERE id = v_jz;
	UPDATE users SET disabled = false WHERE id = v_jz;

	ASSERT NOT tafel_org_opened(v_sh, v_x),
	    'an observer''s presence opened the case once it was promoted';
	ASSERT NOT tafel_access(v_obs, v_x) -> 'cats' ? 'person_names',
	    tafel_access(v_obs, v_x);
	ASSERT NOT tafel_access(test_uid('slachtofferhulp'), v_x) -> 'cats'
	    ? 'person_names', tafel_access(test_uid('slachtofferhulp'), v_x);
	ASSERT NOT tafel_access_many(test_uid('slachtofferhulp'),
	    ARRAY[v_x, v_y, v_z]) -> v_x::text -> 'cats' ? 'person_names';

	ASSERT NOT tafel_org_opened(test_org(
	    'Openbaar Ministerie, parket Oost-Nederland'), v_y),
	    'a disabled account''s presence opened the case';
	ASSERT NOT tafel_access(v_om, v_y) -> 'cats' ? 'person_names',
	    tafel_access(v_om, v_y);
	ASSERT NOT tafel_access_many(v_om, ARRAY[v_x, v_y, v_z]) -> v_y::text
	    -> 'cats' ? 'person_names';

	-- what youth care was shown while it could read stays seen
	ASSERT tafel_access(v_jz, v_z) -> 'cats' ?& ARRAY['person_names',
	    'birth_dates'], tafel_access(v_jz, v_z);
	ASSERT tafel_access_many(v_jz, ARRAY[v_x, v_y, v_z]) -> v_z::text
	    -> 'cats' ?& ARRAY['person_names', 'birth_dates'];
	-- and the prosecutor, present and enabled now, sees y when it is
	-- opened again
	PERFORM test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_m, 'item_id', iy -> 'id'));
	ASSERT tafel_access(v_om, v_y) -> 'cats' ? 'person_names',
	    tafel_access(v_om, v_y);
END
$$;
