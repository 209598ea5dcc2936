-- What an account may see narrowed from outside its own row ends its
-- sessions (tafel_end_sessions, 65_session.sql): pm remove those of the
-- process manager it removes, access set that takes a category away those
-- of the accounts of the kind's organisations that go by the kind's
-- categories.  Here: their resume tickets are gone (the notice that ends
-- the live connections is tafeld's, e2e roles-taken); a category added,
-- or a district removed that was not there, ends nothing.

DO $$
DECLARE
	v_who text;
BEGIN
	FOREACH v_who IN ARRAY ARRAY['reclassering', 'politie',
	    'woningcorporatie', 'huisarts'] LOOP
		PERFORM tafel_ticket_issue(test_uid(v_who),
		    decode(md5('ticket ' || v_who) || md5(v_who), 'hex'), '', 3600);
	END LOOP;
	ASSERT (SELECT count(DISTINCT user_id) FROM resume_tickets
	    WHERE expires_at > now() AND user_id IN (test_uid('reclassering'),
		test_uid('politie'), test_uid('woningcorporatie'),
		test_uid('huisarts'))) = 4;

	-- pm remove: the one removed, no one else
	INSERT INTO process_managers (user_id, district)
	VALUES (test_uid('reclassering'), 'Sessiedorp');
	ASSERT tafel_pm_remove('reclassering', 'Sessiedorp', NULL);
	ASSERT NOT EXISTS (SELECT 1 FROM resume_tickets
	    WHERE user_id = test_uid('reclassering'));
	ASSERT NOT tafel_pm_remove('politie', 'Nergensdorp', NULL);
	ASSERT EXISTS (SELECT 1 FROM resume_tickets
	    WHERE user_id = test_uid('politie'));

	-- access set: adding a category ends nothing
	PERFORM tafel_admin_access_set('housing',
	    'person_names,free_text,case_summary');
	ASSERT EXISTS (SELECT 1 FROM resume_tickets
	    WHERE user_id = test_uid('woningcorporatie'));
	-- taking one away ends the housing accounts' sessions, and only theirs
	PERFORM tafel_admin_access_set('housing', 'free_text');
	ASSERT NOT EXISTS (SELECT 1 FROM resume_tickets
	    WHERE user_id = test_uid('woningcorporatie'));
	ASSERT EXISTS (SELECT 1 FROM resume_tickets
	    WHERE user_id = test_uid('politie'));
	ASSERT EXISTS (SELECT 1 FROM resume_tickets
	    WHERE user_id = test_uid('huisarts'));

	PERFORM tafel_admin_access_set('housing', 'person_names,free_text');
	DELETE FROM resume_tickets WHERE user_id IN (test_uid('politie'),
	    test_uid('huisarts'));
END
$$;
