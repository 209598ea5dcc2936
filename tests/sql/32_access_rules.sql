-- tafel_access is one statement with the covenant's helpers written out
-- (30_covenant.sql).  Here it is compared with the rules as the helpers
-- state them (pg_temp.access_rules: tafel_org_involved,
-- tafel_is_process_manager, tafel_may_see_meeting, tafel_org_opened,
-- tafel_org_categories), for every user and every case: on the demo data,
-- then with data that reaches each branch (an organisation without the
-- covenant, one with categories of its own, an observer, a disabled user,
-- a process manager, an organisation added as involved).

CREATE FUNCTION pg_temp.access_rules(p_user_id bigint, p_case_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
	u users;
	o organisations;
	v_involved boolean;
	v_cats text[] := '{}';
	v_reason text;
	v_connected boolean;
BEGIN
	SELECT * INTO u FROM users WHERE id = p_user_id;
	IF NOT FOUND OR u.disabled THEN
		RETURN jsonb_build_object('cats', '[]'::jsonb, 'reason',
		    'not_involved', 'org', 0, 'connected', false);
	END IF;
	SELECT * INTO o FROM organisations WHERE id = u.org_id;
	v_involved := tafel_org_involved(o.id, p_case_id)
	    OR tafel_is_process_manager(u.id, p_case_id);
	v_connected := v_involved OR EXISTS (SELECT 1 FROM agenda_items a
	    WHERE a.case_id = p_case_id AND tafel_may_see_meeting(u, a.meeting_id));
	IF NOT u.roles && ARRAY['admin', 'chair', 'member'] THEN
		v_reason := 'observer';
	ELSIF NOT o.covenant_signed THEN
		v_reason := 'not_signatory';
	ELSIF NOT (v_involved OR tafel_org_opened(o.id, p_case_id)) THEN
		v_reason := 'not_involved';
	ELSE
		v_cats := tafel_org_categories(o.id);
		v_reason := CASE WHEN v_cats @> tafel_all_categories() THEN ''
		    ELSE 'category' END;
	END IF;
	RETURN jsonb_build_object('cats', to_jsonb(v_cats), 'reason', v_reason,
	    'org', o.id, 'connected', v_connected);
END
$$;

-- Every user (and one id that is no user) against every case; returns the
-- number of pairs compared, and raises on the first difference.
CREATE FUNCTION pg_temp.compare_all() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	r record;
	n bigint := 0;
BEGIN
	FOR r IN SELECT u.id AS uid, c.id AS cid,
	    tafel_access(u.id, c.id) AS got,
	    pg_temp.access_rules(u.id, c.id) AS want
	    FROM (SELECT id FROM users UNION ALL SELECT -1) u
	    CROSS JOIN cases c LOOP
		IF r.got IS DISTINCT FROM r.want THEN
			RAISE EXCEPTION 'tafel_access(%, %) = %, the rules say %',
			    r.uid, r.cid, r.got, r.want;
		END IF;
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;

DO $$
DECLARE
	v_n bigint;
	v_reasons text[];
	v_org bigint;
	v_case cases;
	v_user bigint;
BEGIN
	v_n := pg_temp.compare_all();
	ASSERT v_n >= 100, format('only %s pairs in the demo data', v_n);

	-- reach every branch
	SELECT id INTO v_org FROM organisations WHERE covenant_signed
	ORDER BY id LIMIT 1;
	UPDATE organisations SET covenant_signed = false WHERE id = v_org;
	SELECT id INTO v_org FROM organisations WHERE covenant_signed
	    AND NOT EXISTS (SELECT 1 FROM org_data_access x WHERE x.org_id = id)
	ORDER BY id DESC LIMIT 1;
	INSERT INTO org_data_access (org_id, category)
	VALUES (v_org, 'person_names'), (v_org, 'case_summary');
	UPDATE users SET roles = '{observer}'
	WHERE id = (SELECT min(id) FROM users WHERE roles = '{member}');
	UPDATE users SET disabled = true
	WHERE id = (SELECT max(id) FROM users WHERE roles = '{member}'
	    AND NOT disabled);
	SELECT * INTO v_case FROM cases ORDER BY id LIMIT 1;
	SELECT id INTO v_user FROM users WHERE roles = '{member}' AND NOT disabled
	    AND org_id <> v_case.submitter_org_id ORDER BY id DESC LIMIT 1;
	INSERT INTO process_managers (user_id, district, theme)
	VALUES (v_user, v_case.district, '');
	INSERT INTO case_involved_orgs (case_id, org_id)
	SELECT c.id, (SELECT max(id) FROM organisations) FROM cases c
	WHERE c.id % 3 = 0
	ON CONFLICT DO NOTHING;

	v_n := pg_temp.compare_all();
	-- and the pairs compared did reach every reason
	SELECT array_agg(DISTINCT tafel_access(u.id, c.id) ->> 'reason'
	    ORDER BY tafel_access(u.id, c.id) ->> 'reason')
	INTO v_reasons FROM users u CROSS JOIN cases c;
	ASSERT v_reasons @> ARRAY['', 'category', 'not_involved',
	    'not_signatory', 'observer'],
	    format('the data reached only the reasons %s', v_reasons);
	ASSERT (SELECT count(*) FROM users u CROSS JOIN cases c
	    WHERE (tafel_access(u.id, c.id) ->> 'connected')::boolean) > 0,
	    'no connected pair';
	ASSERT (SELECT count(*) FROM users u CROSS JOIN cases c
	    WHERE NOT (tafel_access(u.id, c.id) ->> 'connected')::boolean) > 0,
	    'no unconnected pair';
	-- the process manager is involved as a person
	ASSERT tafel_access(v_user, v_case.id) ->> 'reason' IN ('', 'category')
	    OR tafel_access(v_user, v_case.id) ->> 'reason' = 'not_signatory',
	    format('the process manager: %s', tafel_access(v_user, v_case.id));
END
$$;
