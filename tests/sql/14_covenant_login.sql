-- Login lockout (0005): tafel_login_result counts consecutive failures,
-- locks after max_failures, resets on success; tafel_unlock lifts it.

DO $$
DECLARE
	v_u bigint := test_uid('politie');
	r record;
BEGIN
	SELECT * INTO r FROM tafel_login_lookup('politie');
	ASSERT r.user_id = v_u AND NOT r.locked;

	ASSERT NOT tafel_login_result(v_u, false, 3, 600);
	ASSERT NOT tafel_login_result(v_u, false, 3, 600);
	-- a success in between resets the count
	ASSERT NOT tafel_login_result(v_u, true, 3, 600);
	ASSERT (SELECT failed_logins FROM users WHERE id = v_u) = 0;
	ASSERT NOT tafel_login_result(v_u, false, 3, 600);
	ASSERT NOT tafel_login_result(v_u, false, 3, 600);
	ASSERT tafel_login_result(v_u, false, 3, 600), 'the third failure locks';
	SELECT * INTO r FROM tafel_login_lookup('politie');
	ASSERT r.locked;
	ASSERT (SELECT locked_until BETWEEN now() + interval '599 seconds'
	    AND now() + interval '601 seconds' FROM users WHERE id = v_u);
	-- while locked everything reports locked, and a success changes nothing
	ASSERT tafel_login_result(v_u, false, 3, 600);
	ASSERT tafel_login_result(v_u, true, 3, 600);
	ASSERT (SELECT locked FROM tafel_login_lookup('politie'));
	-- other users are not affected
	ASSERT NOT (SELECT locked FROM tafel_login_lookup('om'));

	-- the administrator unlocks
	ASSERT tafel_unlock('politie');
	ASSERT NOT (SELECT locked FROM tafel_login_lookup('politie'));
	ASSERT (SELECT failed_logins = 0 AND locked_until IS NULL FROM users
	    WHERE id = v_u);
	PERFORM test_expect('TF016', 'SELECT tafel_unlock(''niemand'')');

	-- an expired lock is no lock
	UPDATE users SET locked_until = now() - interval '1 second' WHERE id = v_u;
	ASSERT NOT (SELECT locked FROM tafel_login_lookup('politie'));
	ASSERT NOT tafel_login_result(v_u, true, 3, 600);
	ASSERT (SELECT locked_until IS NULL FROM users WHERE id = v_u);
	-- max_failures 1: the first failure locks
	ASSERT tafel_login_result(v_u, false, 1, 60);
	-- unknown user id: false
	ASSERT NOT tafel_login_result(-1, false, 3, 600);
END
$$;
