-- 0027 each idempotency key kept as long as the node that stored it says.
--
--  * Every tafeld node forgot the keys older than its own idempotency_ttl
--    (tafel_forget_keys), from the one table all nodes share: one node
--    started with a shorter window deleted every node's keys, and a retry
--    within the others' promised window was applied twice (an outside
--    multi-node probe: one case written twice).  Since 0027 a key carries
--    keep_until, set when it is stored from the storing node's window
--    (tafel_write_routed's p_keep_secs, server/request.c), and
--    the maintenance forgets only keys past their own keep_until.
--  * Keys stored before keep NULL and are forgotten by age as before.

ALTER TABLE idempotency ADD COLUMN keep_until timestamptz;
CREATE INDEX idempotency_keep_until_idx ON idempotency (keep_until);
