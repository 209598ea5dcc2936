-- The inbox (terugkoppeling): feedback to the organisation and person that
-- submitted a case, made in the same transaction when an action point on
-- the case is completed or cancelled (tafel_finish_action) or the case
-- moves along its routing (tafel_op_move_case), 0011; and the notices
-- made in 57_prep.sql (a clock, a published agenda, 0013; an info round
-- asking the organisation, 0017).  Never to the writer's own organisation
-- for what the writer did, except where protocol.md 7.12 says why.

-- InboxEntry, unredacted (the action point as it is now).
CREATE OR REPLACE FUNCTION tafel_json_inbox(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', e.id,
	    'kind', e.kind,
	    'case_id', coalesce(e.case_id, 0),
	    'case_number', coalesce(c.number, ''),
	    'recipient_org_id', e.recipient_org_id,
	    'recipient_org_name', ro.name,
	    'recipient_user_id', coalesce(e.recipient_user_id, 0),
	    'recipient_user_name', coalesce(ru.display_name, ''),
	    'sender_id', coalesce(e.sender_id, 0),
	    'sender_name', coalesce(su.display_name, ''),
	    'sender_org_name', coalesce(so.name, ''),
	    'created_at', tafel_unix(e.created_at),
	    'from_status', e.from_status,
	    'to_status', e.to_status,
	    'read_at', coalesce(tafel_unix(e.read_at), 0),
	    'read_by', coalesce(e.read_by, 0),
	    'read_by_name', coalesce(rb.display_name, ''),
	    'version', e.version,
	    -- 0013: an agenda published (meeting), a clock's notice (clock)
	    'meeting_id', coalesce(e.meeting_id, 0),
	    'series_name', coalesce(s.name, ''),
	    'scheduled_start', coalesce(tafel_unix(m.scheduled_start), 0),
	    'clock_id', coalesce(e.clock_id, 0),
	    'clock_label', coalesce(ck.label, ''),
	    'clock_ends_on', coalesce(tafel_datestr(k.ends_on), ''),
	    'notice_on', coalesce(tafel_datestr(e.notice_on), ''),
	    -- 0017: an info round asking the recipient organisation
	    'info_round_id', coalesce(e.info_round_id, 0),
	    'reply_by', coalesce(tafel_datestr(r.reply_by), ''))
	    || CASE WHEN e.action_id IS NULL THEN '{}'::jsonb
		ELSE jsonb_build_object('action_point',
		    tafel_json_action(e.action_id)) END
	FROM inbox_entries e
	LEFT JOIN cases c ON c.id = e.case_id
	LEFT JOIN meetings m ON m.id = e.meeting_id
	LEFT JOIN series s ON s.id = m.series_id
	LEFT JOIN case_clocks k ON k.id = e.clock_id
	LEFT JOIN clock_kinds ck ON ck.name = k.kind
	LEFT JOIN info_rounds r ON r.id = e.info_round_id
	JOIN organisations ro ON ro.id = e.recipient_org_id
	LEFT JOIN users ru ON ru.id = e.recipient_user_id
	LEFT JOIN users su ON su.id = e.sender_id
	LEFT JOIN organisations so ON so.id = su.org_id
	LEFT JOIN users rb ON rb.id = e.read_by
	WHERE e.id = p_id
$$;

-- An entry for one viewer: NULL unless the viewer is a member of the
-- recipient organisation or the sender.  Its action point is rendered by
-- the covenant exactly like everywhere else (tafel_render: the note and
-- description only with free_text or for the owner organisation), and
-- audited under p_context.
CREATE OR REPLACE FUNCTION tafel_render_inbox(p_user_id bigint, p_entry jsonb,
    p_context text)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users;
	v_ap jsonb;
BEGIN
	SELECT * INTO u FROM users WHERE id = p_user_id;
	IF NOT FOUND OR u.disabled OR p_entry IS NULL THEN
		RETURN NULL;
	END IF;
	IF u.org_id <> (p_entry ->> 'recipient_org_id')::bigint
	    AND u.id <> (p_entry ->> 'sender_id')::bigint THEN
		RETURN NULL;
	END IF;
	IF p_entry ? 'action_point' THEN
		v_ap := tafel_render(u.id, 0, 0, jsonb_build_object('action_point',
		    p_entry -> 'action_point'), p_context, 0, false) -> 'action_point';
		p_entry := p_entry || jsonb_build_object('action_point', v_ap);
	END IF;
	RETURN p_entry || jsonb_build_object('sent_by_me',
	    u.id = (p_entry ->> 'sender_id')::bigint);
END
$$;

-- Logs an entry's change (made or read) for the inbox topic: routed to the
-- recipient organisation and the sender's organisation; the case or the
-- meeting is named for the change log's routing check and retention, not
-- for delivery (the server sends inbox changes on the inbox topic only).
CREATE OR REPLACE FUNCTION tafel_inbox_log(p_actor bigint, p_id bigint)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	e inbox_entries;
BEGIN
	SELECT * INTO e FROM inbox_entries WHERE id = p_id;
	PERFORM tafel_log_change(p_actor, e.meeting_id, e.case_id,
	    ARRAY[e.recipient_org_id, (SELECT org_id FROM users
		WHERE id = e.sender_id)],
	    jsonb_build_object('inbox_entry', tafel_json_inbox(e.id)));
END
$$;

-- Whether p_writer, the user whose write makes a notice, belongs to
-- organisation p_org.  An organisation is not told of what one of its own
-- users just did (docs/protocol.md 7.12 lists the decision per kind):
-- feedback on an action point or a move of the case, a published agenda,
-- a clock set, an action point handed over to it (unless to a named
-- colleague of the writer) are skipped for the writer's organisation.
CREATE OR REPLACE FUNCTION tafel_inbox_own_org(p_writer bigint, p_org bigint)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce((SELECT org_id = p_org FROM users WHERE id = p_writer),
	    false)
$$;

-- One notice about a case to an organisation (and person), logged: the
-- handed-over action point (0018) and the lead and case manager notices
-- (0021).
CREATE OR REPLACE FUNCTION tafel_inbox_notice(p_kind text, p_case_id bigint,
    p_action_id bigint, p_org_id bigint, p_user_id bigint, p_sender bigint)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_id bigint;
BEGIN
	INSERT INTO inbox_entries (kind, case_id, action_id, recipient_org_id,
	    recipient_user_id, sender_id)
	VALUES (p_kind, p_case_id, p_action_id, p_org_id, p_user_id, p_sender)
	RETURNING id INTO v_id;
	PERFORM tafel_inbox_log(p_sender, v_id);
END
$$;

-- One entry for the case's submitting organisation and person, logged;
-- none when the sender is a member of that organisation (it did it).
CREATE OR REPLACE FUNCTION tafel_inbox_add(p_kind text, p_case_id bigint,
    p_action_id bigint, p_sender bigint, p_from text, p_to text)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	c cases;
	v_id bigint;
BEGIN
	SELECT * INTO c FROM cases WHERE id = p_case_id;
	IF NOT FOUND OR p_sender IS NULL
	    OR tafel_inbox_own_org(p_sender, c.submitter_org_id) THEN
		RETURN;
	END IF;
	INSERT INTO inbox_entries (kind, case_id, action_id, recipient_org_id,
	    recipient_user_id, sender_id, from_status, to_status)
	VALUES (p_kind, c.id, p_action_id, c.submitter_org_id,
	    c.submitter_user_id, p_sender, coalesce(p_from, ''),
	    coalesce(p_to, ''))
	RETURNING id INTO v_id;
	PERFORM tafel_inbox_log(p_sender, v_id);
END
$$;

-- The unread entries addressed to the user's organisation.
CREATE OR REPLACE FUNCTION tafel_inbox_unread(u users)
RETURNS int LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT count(*)::int FROM inbox_entries
	WHERE recipient_org_id = u.org_id AND read_at IS NULL
$$;

-- list_inbox -> InboxList: the entries addressed to the user's
-- organisation (and, with p_include_sent, those the user caused), newest
-- first, at most 200, each rendered for the user and audited ('inbox').
CREATE OR REPLACE FUNCTION tafel_list_inbox(p_user_id bigint,
    p_unread_only boolean, p_include_sent boolean)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	RETURN jsonb_build_object(
	    'entries', coalesce((SELECT jsonb_agg(tafel_render_inbox(u.id,
		tafel_json_inbox(x.id), 'inbox') ORDER BY x.id DESC)
		FROM (SELECT e.id FROM inbox_entries e
		    WHERE (e.recipient_org_id = u.org_id
			OR (coalesce(p_include_sent, false) AND e.sender_id = u.id))
		      AND (NOT coalesce(p_unread_only, false) OR e.read_at IS NULL)
		    ORDER BY e.id DESC LIMIT 200) x), '[]'::jsonb),
	    'unread', tafel_inbox_unread(u));
END
$$;

-- The inbox topic's snapshot (SubscribeResponse): unread and sent
-- entries... every entry list_inbox(include_sent) gives.
CREATE OR REPLACE FUNCTION tafel_inbox_snapshot(p_user_id bigint)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	v_seq bigint := (SELECT coalesce(max(cl.seq), 0) FROM changelog cl);
BEGIN
	RETURN jsonb_build_object('seq', v_seq, 'resumed', false,
	    'inbox', tafel_list_inbox(p_user_id, false, true));
END
$$;

-- mark_inbox_read: MarkInboxReadRequest -> InboxEntry.  Members of the
-- recipient organisation only; the first reader and time are kept.
CREATE OR REPLACE FUNCTION tafel_op_mark_inbox_read(p_user_id bigint,
    p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	e inbox_entries;
BEGIN
	SELECT * INTO e FROM inbox_entries WHERE id = tafel_arg_id(p_args, 'id')
	FOR UPDATE;
	IF NOT FOUND OR e.recipient_org_id <> u.org_id THEN
		PERFORM tafel_raise('TF016', 'no such inbox entry', 'id');
	END IF;
	IF e.read_at IS NULL THEN
		UPDATE inbox_entries SET read_at = now(), read_by = u.id,
		    version = version + 1
		WHERE id = e.id;
		PERFORM tafel_inbox_log(u.id, e.id);
	END IF;
	RETURN tafel_json_inbox(e.id);
END
$$;

-- Escalation (tafeld's timer, server/maint.c): every open action point
-- overdue for at least p_days days (due before today, Europe/Amsterdam)
-- whose owner organisation has an escalation contact, not escalated
-- before, gets escalated_at and an inbox entry of kind action_overdue to
-- the owner organisation naming the contact.  Returns how many.
CREATE OR REPLACE FUNCTION tafel_escalate(p_days int)
RETURNS int LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
	a record;
	v_id bigint;
	v_n int := 0;
BEGIN
	FOR a IN SELECT ap.id, ap.case_id, ap.owner_org_id,
		o.escalation_contact_id AS contact
	    FROM action_points ap
	    JOIN organisations o ON o.id = ap.owner_org_id
	    JOIN users cu ON cu.id = o.escalation_contact_id AND NOT cu.disabled
	    WHERE ap.state = 'open' AND ap.escalated_at IS NULL
		AND ap.due_date < v_today
		AND v_today - ap.due_date >= greatest(coalesce(p_days, 0), 0)
	    ORDER BY ap.due_date, ap.id
	    LIMIT 1000
	    FOR UPDATE OF ap SKIP LOCKED LOOP
		UPDATE action_points SET escalated_at = now() WHERE id = a.id;
		INSERT INTO inbox_entries (kind, case_id, action_id,
		    recipient_org_id, recipient_user_id, sender_id)
		VALUES ('action_overdue', a.case_id, a.id, a.owner_org_id,
		    a.contact, NULL)
		RETURNING id INTO v_id;
		PERFORM tafel_inbox_log(NULL, v_id);
		v_n := v_n + 1;
	END LOOP;
	RETURN v_n;
END
$$;

-- tafelctl org escalation-contact ORG LOGIN|-: the organisation's contact
-- for overdue action points (a user of that organisation), or none.
CREATE OR REPLACE FUNCTION tafel_set_escalation_contact(p_org text,
    p_login text)
RETURNS text LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	o organisations;
	v_user bigint;
BEGIN
	SELECT * INTO o FROM organisations
	WHERE id::text = p_org OR name = p_org ORDER BY id LIMIT 1;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', format('no organisation %s', p_org));
	END IF;
	IF coalesce(p_login, '-') <> '-' THEN
		SELECT id INTO v_user FROM users
		WHERE login = p_login AND org_id = o.id AND NOT disabled;
		IF v_user IS NULL THEN
			PERFORM tafel_raise('TF011', format('%s is no active user '
			    || 'of %s', p_login, o.name));
		END IF;
	END IF;
	UPDATE organisations SET escalation_contact_id = v_user WHERE id = o.id;
	RETURN o.name;
END
$$;
