-- The maintenance timer's forgetting of old idempotency keys
-- (tafel_forget_keys, 50_write.sql), run as tafel_app as tafeld runs it on
-- a pooled connection, where tafel.user_id is '' once an earlier
-- request's transaction-local value ended: it deletes exactly the keys
-- older than the setting and says how many, refuses a lifetime under a
-- minute, and the row-level security helper it meets on the way
-- (tafel_rls_user) reads '' as nobody instead of failing to cast it.
-- Before, the timer's plain DELETE failed every time ("invalid input
-- syntax for type bigint"; and tafel_app may not delete from the table).

DO $$
DECLARE
	v_uid bigint := test_uid('voorzitter');
	v_n bigint;
	v_left bigint;
BEGIN
	DELETE FROM idempotency;
	INSERT INTO idempotency (user_id, key, op, args_hash, created_at)
	VALUES (v_uid, 'old-1', 'record_decision', 'x', now() - interval '8 days'),
	    (v_uid, 'old-2', 'record_decision', 'x', now() - interval '7 days 1 minute'),
	    (v_uid, 'new-1', 'record_decision', 'x', now() - interval '6 days');
	PERFORM set_config('tafel.user_id', '', false);
	SET LOCAL ROLE tafel_app;
	ASSERT tafel_rls_user() = 0, 'an empty tafel.user_id is not nobody';
	-- a plain read under row-level security works on such a connection
	SELECT count(*) INTO v_left FROM idempotency;
	ASSERT v_left = 0, format('tafel_app without a user sees %s keys', v_left);
	v_n := tafel_forget_keys(7 * 86400);
	RESET ROLE;
	ASSERT v_n = 2, format('forgot %s keys, not the 2 older than 7 days', v_n);
	SELECT count(*) INTO v_left FROM idempotency;
	ASSERT v_left = 1, format('%s keys left, not the newer one', v_left);
	ASSERT EXISTS (SELECT 1 FROM idempotency WHERE key = 'new-1'),
	    'the key inside the lifetime was forgotten';
	PERFORM set_config('tafel.user_id', v_uid::text, false);
	ASSERT tafel_rls_user() = v_uid, 'a set tafel.user_id is not read';
	PERFORM set_config('tafel.user_id', 'x1', false);
	ASSERT tafel_rls_user() = 0, 'a malformed tafel.user_id is not nobody';
	PERFORM set_config('tafel.user_id', '', false);
END
$$;

SELECT test_expect('TF011', 'SELECT tafel_forget_keys(59)');
