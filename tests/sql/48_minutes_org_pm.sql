-- tafelctl minutes --org never renders an organisation's copy in a process
-- manager's view: that view of their districts' cases is personal, so the
-- copy of an absent, uninvolved organisation whose only active member was a
-- process manager of the district held the decisions and action texts
-- (findings s15-D 6; docs/security.md rule 11).  tafel_minutes_reader takes
-- a plain member or a chair, never a process manager; with none,
-- tafel_minutes_for_org refuses and says why.

DO $$
DECLARE
	v_ggz bigint := test_org('GGZ Eemland-Twente');
	v_m bigint := (SELECT m.id FROM meetings m JOIN series s
	    ON s.id = m.series_id WHERE m.state = 'closed'
		AND s.name = 'WZT Enschede-Noord' ORDER BY m.id LIMIT 1);
	n jsonb;
	e jsonb;
	v_withheld int;
BEGIN
	ASSERT v_m IS NOT NULL, 'no closed WZT meeting in the demo';
	ASSERT (SELECT count(*) FROM users WHERE org_id = v_ggz
	    AND NOT disabled) = 1, 'ggz is not GGZ''s only user';
	-- the organisation's copy: absent and not involved, decisions withheld
	n := tafel_minutes_for_org(v_ggz, v_m);
	v_withheld := (SELECT count(*) FROM jsonb_array_elements(n -> 'items') i
	    WHERE (i ->> 'decision_withheld')::boolean);
	ASSERT v_withheld > 0, n::text;

	-- its only member made a process manager of the district: refused,
	-- not rendered in that person's view
	INSERT INTO process_managers (user_id, district)
	VALUES (test_uid('ggz'), 'Enschede-Noord');
	ASSERT tafel_minutes_reader(v_ggz) IS NULL;
	e := test_expect('TF016', format('SELECT tafel_minutes_for_org(%s, %s)',
	    v_ggz, v_m));
	ASSERT e ->> 'message' LIKE '%only active members are process managers%',
	    e::text;
	ASSERT e ->> 'hint' = 'org', e::text;

	-- with a plain member besides, the copy is rendered in that member's
	-- view (the process manager has the lower id)
	INSERT INTO users (login, display_name, org_id, roles)
	VALUES ('ggz2', 'Tweede GGZ', v_ggz, '{member}');
	ASSERT tafel_minutes_reader(v_ggz) = test_uid('ggz2');
	n := tafel_minutes_for_org(v_ggz, v_m);
	ASSERT (SELECT count(*) FROM jsonb_array_elements(n -> 'items') i
	    WHERE (i ->> 'decision_withheld')::boolean) = v_withheld, n::text;
END
$$;
