-- Trigger functions and their triggers (CREATE OR REPLACE TRIGGER: the
-- tables come from the migrations, the behaviour from here).

CREATE OR REPLACE FUNCTION tafel_agenda_item_opened()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	IF NEW.state <> 'pending' AND NEW.opened_at IS NULL THEN
		NEW.opened_at := CASE WHEN NEW.state = 'discussed'
		    THEN coalesce(NEW.discussed_at, clock_timestamp())
		    ELSE clock_timestamp() END;
	END IF;
	RETURN NEW;
END
$$;

-- The append-only audit tables: nothing but INSERT, except a DELETE in a
-- transaction that set the setting named by the trigger's argument
-- (audit_log: tafel.purge, the retention purge; audit_pending (0014):
-- tafel.audit_fold, the fold that moves its rows into audit_disclosures).
CREATE OR REPLACE FUNCTION tafel_audit_log_guard()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	IF TG_OP = 'DELETE' AND TG_NARGS = 1
	    AND current_setting(TG_ARGV[0], true) = 'on' THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'TF010',
	    MESSAGE = 'the audit log is append-only';
END
$$;

-- The push disclosures (0012) only grow: an update may widen the span
-- (first_at back, last_at forward: a fold can meet an earlier change that
-- committed late), raise the count and add categories, nothing else; a
-- delete only inside the retention purge (tafel.purge), like audit_log.
CREATE OR REPLACE FUNCTION tafel_audit_disclosure_guard()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	IF TG_OP = 'DELETE' AND current_setting('tafel.purge', true) = 'on' THEN
		RETURN OLD;
	END IF;
	IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.user_id = OLD.user_id
	    AND NEW.case_id = OLD.case_id AND NEW.day = OLD.day
	    AND NEW.meeting_id = OLD.meeting_id AND NEW.org_id = OLD.org_id
	    AND NEW.context = OLD.context AND NEW.first_at <= OLD.first_at
	    AND NEW.last_at >= OLD.last_at AND NEW.count >= OLD.count
	    AND NEW.categories @> OLD.categories THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'TF010',
	    MESSAGE = 'the audit log is append-only';
END
$$;

-- attendance.present -> attendance_periods: an arrival opens a period
-- (not at a closed meeting), a departure ends the open one.
CREATE OR REPLACE FUNCTION tafel_attendance_period()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	IF NEW.present THEN
		IF NOT EXISTS (SELECT 1 FROM attendance_periods p
		    WHERE p.meeting_id = NEW.meeting_id AND p.user_id = NEW.user_id
			AND p.left_at IS NULL)
		    AND EXISTS (SELECT 1 FROM meetings m
			WHERE m.id = NEW.meeting_id AND m.state <> 'closed') THEN
			INSERT INTO attendance_periods (meeting_id, user_id, org_id,
			    arrived_at)
			VALUES (NEW.meeting_id, NEW.user_id, NEW.org_id,
			    clock_timestamp());
		END IF;
	ELSE
		UPDATE attendance_periods
		SET left_at = greatest(clock_timestamp(), arrived_at)
		WHERE meeting_id = NEW.meeting_id AND user_id = NEW.user_id
		    AND left_at IS NULL;
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER agenda_items_opened BEFORE INSERT OR UPDATE OF state
	ON agenda_items FOR EACH ROW EXECUTE FUNCTION tafel_agenda_item_opened();

CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE
	ON audit_log FOR EACH ROW
	EXECUTE FUNCTION tafel_audit_log_guard('tafel.purge');
CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION tafel_audit_log_guard('tafel.purge');

CREATE OR REPLACE TRIGGER audit_disclosures_grow_only BEFORE UPDATE OR DELETE
	ON audit_disclosures FOR EACH ROW
	EXECUTE FUNCTION tafel_audit_disclosure_guard();
CREATE OR REPLACE TRIGGER audit_disclosures_no_truncate BEFORE TRUNCATE
	ON audit_disclosures FOR EACH STATEMENT
	EXECUTE FUNCTION tafel_audit_disclosure_guard();

CREATE OR REPLACE TRIGGER audit_pending_insert_only BEFORE UPDATE OR DELETE
	ON audit_pending FOR EACH ROW
	EXECUTE FUNCTION tafel_audit_log_guard('tafel.audit_fold');
CREATE OR REPLACE TRIGGER audit_pending_no_truncate BEFORE TRUNCATE
	ON audit_pending FOR EACH STATEMENT
	EXECUTE FUNCTION tafel_audit_log_guard('tafel.audit_fold');
-- its own guard until the guard above took an argument
DROP FUNCTION IF EXISTS tafel_audit_pending_guard();

CREATE OR REPLACE TRIGGER attendance_periods_track
	AFTER INSERT OR UPDATE OF present ON attendance
	FOR EACH ROW EXECUTE FUNCTION tafel_attendance_period();

-- A new password, a disabled account or a role taken away (tafelctl user
-- roles: an observer now, say) ends every resumable session, and every
-- live one: each tafeld closes the account's connections when the notice
-- arrives (server/revoke.c; sent at commit, on the change channel, whose
-- other payloads are seqs).  For a role taken away the client must not go
-- on showing, nor resume without a snapshot into, what the account saw
-- with the role (a resumed stream sends only the changes since, so the
-- cases it held in full stayed on its screen); a role added ends nothing,
-- nor does an observer's becoming a member (it sees more, not less).
CREATE OR REPLACE FUNCTION tafel_tickets_user_changed()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	IF NEW.password_hash IS DISTINCT FROM OLD.password_hash
	    OR (NEW.disabled AND NOT OLD.disabled)
	    OR NOT NEW.roles @> array_remove(OLD.roles, 'observer') THEN
		DELETE FROM resume_tickets WHERE user_id = NEW.id;
		PERFORM pg_notify('tafel_changes', format('end-sessions %s %s',
		    NEW.id, CASE WHEN NEW.disabled AND NOT OLD.disabled
			THEN 'disabled'
			WHEN NEW.password_hash IS DISTINCT FROM OLD.password_hash
			THEN 'password' ELSE 'roles' END));
	END IF;
	RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER users_tickets AFTER UPDATE OF password_hash, disabled,
	roles ON users FOR EACH ROW EXECUTE FUNCTION tafel_tickets_user_changed();

-- A change of whether a user may read cases (its roles, its disabling) is
-- recorded with what it could before (user_read_changes, 0028):
-- presence at a meeting counts by what the user could when an item was
-- opened (tafel_could_read, 30_covenant.sql).
CREATE OR REPLACE FUNCTION tafel_user_read_changed()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_old boolean := NOT OLD.disabled
	    AND OLD.roles && ARRAY['admin', 'chair', 'member'];
	v_new boolean := NOT NEW.disabled
	    AND NEW.roles && ARRAY['admin', 'chair', 'member'];
BEGIN
	IF v_old <> v_new THEN
		INSERT INTO user_read_changes (user_id, could_read)
		VALUES (NEW.id, v_old);
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER users_read_changes AFTER UPDATE OF roles, disabled
	ON users FOR EACH ROW EXECUTE FUNCTION tafel_user_read_changed();

-- A disabled organisation (0016) has no enabled user: adding one, enabling
-- one or moving one into it is refused with the reason.
CREATE OR REPLACE FUNCTION tafel_users_org_enabled()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	IF NOT NEW.disabled AND EXISTS (SELECT 1 FROM organisations o
	    WHERE o.id = NEW.org_id AND o.disabled) THEN
		PERFORM tafel_raise('TF011', format('organisation %s is disabled: '
		    || 'its users stay disabled (tafelctl org enable first)',
		    (SELECT o.name FROM organisations o WHERE o.id = NEW.org_id)));
	END IF;
	RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER users_org_enabled
	BEFORE INSERT OR UPDATE OF disabled, org_id ON users
	FOR EACH ROW EXECUTE FUNCTION tafel_users_org_enabled();

-- An agenda item opened for the first time makes its case readable to the
-- organisations present (tafel_org_opened): "eerder besproken" of the
-- cases matched with it may change for them, so those cases get a change
-- of their own (tafel_log_match_changes), as for new persons or a newly
-- involved organisation.
CREATE OR REPLACE FUNCTION tafel_agenda_item_first_opened()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	PERFORM tafel_log_match_changes(nullif(nullif(current_setting(
	    'tafel.user_id', true), ''), '0')::bigint, NEW.case_id, '{}');
	RETURN NULL;
END
$$;

-- Every time an item becomes the current one (0019): presence then
-- counts for the organisations present (tafel_org_opened), not only at
-- the first opening.
CREATE OR REPLACE FUNCTION tafel_agenda_item_made_current()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	INSERT INTO agenda_item_openings (item_id, case_id, meeting_id,
	    opened_at)
	VALUES (NEW.id, NEW.case_id, NEW.meeting_id, clock_timestamp());
	-- a partner who arrived since the first opening may now see the case
	-- in full, and so the matches of its persons (as at the first
	-- opening: agenda_items_first_opened)
	IF OLD.opened_at IS NOT NULL THEN
		PERFORM tafel_log_match_changes(nullif(nullif(current_setting(
		    'tafel.user_id', true), ''), '0')::bigint, NEW.case_id, '{}');
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER agenda_items_made_current
	AFTER UPDATE ON agenda_items FOR EACH ROW
	WHEN (NEW.state = 'current' AND OLD.state IS DISTINCT FROM 'current')
	EXECUTE FUNCTION tafel_agenda_item_made_current();

-- (not UPDATE OF opened_at: the BEFORE trigger above sets it, and a column
-- trigger fires only for the columns an UPDATE names)
CREATE OR REPLACE TRIGGER agenda_items_first_opened
	AFTER UPDATE ON agenda_items FOR EACH ROW
	WHEN (OLD.opened_at IS NULL AND NEW.opened_at IS NOT NULL)
	EXECUTE FUNCTION tafel_agenda_item_first_opened();

-- The tables whose writes do not change what a rendering shows, and so do
-- not count as a write of the register (data_writes, 0024): the audit,
-- the idempotency keys, the resume tickets, and data_writes itself.
-- Every other table of the schema gets the trigger below, the tables of
-- later migrations too (tests/sql/59_data_writes.sql checks it).
CREATE OR REPLACE FUNCTION tafel_unwatched_tables()
RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['audit_log', 'audit_pending', 'audit_disclosures',
	    'purge_log', 'idempotency', 'resume_tickets', 'data_writes',
	    'data_write_floor']
$$;

-- Records the writing transaction in data_writes, once per transaction
-- (tafel.wrote, local to it, and undone with a subtransaction that rolls
-- back, as the row is).  BEFORE ... FOR EACH ROW, so that a statement that
-- changes no row records nothing (a login's reset of a count that is
-- already 0) and no after-trigger event is queued per row of a bulk write.
CREATE OR REPLACE FUNCTION tafel_note_write()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	IF current_setting('tafel.wrote', true) IS DISTINCT FROM 'on' THEN
		INSERT INTO data_writes (xid) VALUES (pg_current_xact_id())
		ON CONFLICT (xid) DO NOTHING;
		PERFORM set_config('tafel.wrote', 'on', true);
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;

DO $$
DECLARE
	t text;
BEGIN
	FOR t IN SELECT c.relname FROM pg_class c
	    JOIN pg_namespace n ON n.oid = c.relnamespace
	    WHERE n.nspname = 'public' AND c.relkind = 'r'
		AND NOT c.relname = ANY (tafel_unwatched_tables())
	    ORDER BY c.relname LOOP
		EXECUTE format('CREATE OR REPLACE TRIGGER tafel_data_written '
		    || 'BEFORE INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW '
		    || 'EXECUTE FUNCTION tafel_note_write()', t);
		EXECUTE format('CREATE OR REPLACE TRIGGER tafel_data_truncated '
		    || 'BEFORE TRUNCATE ON %I FOR EACH STATEMENT '
		    || 'EXECUTE FUNCTION tafel_note_write()', t);
	END LOOP;
END
$$;
