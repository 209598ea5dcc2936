-- Each idempotency key is kept as long as the node that stored it promised
-- (0027): one node with a short idempotency_ttl forgot every node's keys
-- (tafel_forget_keys deleted by age alone, from the shared table), so a
-- retry within the other nodes' window was applied twice.  Keys stored
-- before 0027 (no keep_until) are still forgotten by age.

DO $$
DECLARE
	v_uid bigint := test_uid('politie');
	v_long text := 'keep-long-' || test_key();
	v_short text := 'keep-short-' || test_key();
	v_old text := 'keep-old-' || test_key();
	v_args jsonb := '{"theme": "domestic_violence", "summary": "sleutel"}';
	a jsonb;
	b jsonb;
BEGIN
	-- stored by a node with the default window and by one with a minute
	a := (SELECT answer FROM tafel_write_routed(v_uid, v_long, 'create_case',
	    v_args, 604800));
	PERFORM tafel_write_routed(v_uid, v_short, 'create_case', v_args, 60);
	PERFORM tafel_write_routed(v_uid, v_old, 'create_case', v_args, 604800);
	ASSERT (SELECT keep_until > now() + interval '6 days' FROM idempotency
	    WHERE key = v_long);
	ASSERT (SELECT keep_until < now() + interval '2 minutes' FROM idempotency
	    WHERE key = v_short);
	-- two hours later; one key from before 0027
	UPDATE idempotency SET created_at = created_at - interval '2 hours',
	    keep_until = keep_until - interval '2 hours'
	WHERE key IN (v_long, v_short, v_old);
	UPDATE idempotency SET keep_until = NULL WHERE key = v_old;

	-- the short-window node's maintenance forgets its own key and the
	-- old one, not the other node's
	ASSERT tafel_forget_keys(60) >= 2;
	ASSERT EXISTS (SELECT 1 FROM idempotency WHERE key = v_long);
	ASSERT NOT EXISTS (SELECT 1 FROM idempotency WHERE key = v_short);
	ASSERT NOT EXISTS (SELECT 1 FROM idempotency WHERE key = v_old);

	-- a retry of the long-kept write is its stored answer, not a new case
	b := (SELECT answer FROM tafel_write_routed(v_uid, v_long, 'create_case',
	    v_args, 60));
	ASSERT b ->> 'id' = a ->> 'id', format('%s then %s', a, b);
	-- a write without a window (tafel_write itself, in a transaction of
	-- its own, as the setting is the transaction's): the default 7 days
	PERFORM set_config('tafel.idempotency_ttl', '', true);
	PERFORM tafel_write(v_uid, v_old, 'create_case', v_args);
	ASSERT (SELECT keep_until > now() + interval '6 days' FROM idempotency
	    WHERE key = v_old);
END
$$;
