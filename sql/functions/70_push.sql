-- The change log as the server reads it: the skeleton for routing, and
-- each change rendered per viewer class for the sessions, with the read
-- audit as disclosures (audit_pending, 0014, folded into
-- audit_disclosures, 0012).

-- The newest change-log sequence number (the server starts following the
-- log there; no payload comes out).
CREATE OR REPLACE FUNCTION tafel_last_seq()
RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT coalesce(max(seq), 0) FROM changelog
$$;

-- The change log after a sequence number, for the server's routing only:
-- the payload is the skeleton (no personal data).  The events the
-- sessions get come from tafel_events_for / tafel_events_for_viewer.
CREATE OR REPLACE FUNCTION tafel_changes_since(p_after_seq bigint,
    p_max_rows int)
RETURNS TABLE (seq bigint, at bigint, actor_id bigint, actor_name text,
    meeting_id bigint, case_id bigint, org_ids bigint[], payload jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN QUERY
	SELECT c.seq, tafel_unix(c.at), coalesce(c.actor_id, 0),
	    coalesce(u.display_name, ''), coalesce(c.meeting_id, 0),
	    coalesce(c.case_id, 0), c.org_ids, tafel_skeleton(c.payload)
	FROM changelog c LEFT JOIN users u ON u.id = c.actor_id
	WHERE c.seq > p_after_seq
	ORDER BY c.seq
	LIMIT p_max_rows;
END
$$;

-- A write (tafel_write) together with the routing rows of the changes it
-- logged (as tafel_changes_since gives them, as JSON arrays [seq, at,
-- actor_id, actor_name, meeting_id, case_id, org_ids, payload]; NULL when
-- it logged none), so the node that committed it can deliver them without
-- waiting for the notification and re-reading the log.  p_keep_secs: how
-- long the writing node keeps the key (its idempotency_ttl), stored with
-- it (0027).
CREATE OR REPLACE FUNCTION tafel_write_routed(p_user_id bigint, p_key text,
    p_op text, p_args jsonb, p_keep_secs bigint)
RETURNS TABLE (answer jsonb, changes jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v_seqs bigint[];
BEGIN
	PERFORM set_config('tafel.idempotency_ttl', coalesce(p_keep_secs::text,
	    ''), true);
	PERFORM set_config('tafel.seqs', '', true);
	answer := tafel_write(p_user_id, p_key, p_op, p_args);
	v_seqs := string_to_array(rtrim(coalesce(current_setting('tafel.seqs',
	    true), ''), ','), ',')::bigint[];
	PERFORM set_config('tafel.seqs', '', true);
	IF cardinality(v_seqs) > 0 THEN
		SELECT jsonb_agg(jsonb_build_array(x.seq, x.at, x.actor_id,
		    x.actor_name, x.meeting_id, x.case_id, x.org_ids, x.payload)
		    ORDER BY x.seq) INTO changes
		FROM tafel_changes_since((SELECT min(s) FROM unnest(v_seqs) s) - 1,
		    cardinality(v_seqs) + 1000) x
		WHERE x.seq = ANY (v_seqs);
	END IF;
	RETURN NEXT;
END
$$;

-- The same for a caller that names no window (an older tafeld during a
-- rolling upgrade): the default, 7 days.
CREATE OR REPLACE FUNCTION tafel_write_routed(p_user_id bigint, p_key text,
    p_op text, p_args jsonb)
RETURNS TABLE (answer jsonb, changes jsonb)
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
	SELECT * FROM tafel_write_routed(p_user_id, p_key, p_op, p_args, NULL)
$$;

-- The planned or open meetings whose agenda holds the case (routing of
-- case-level changes), whatever tafel.user_id says (only ids come out).
CREATE OR REPLACE FUNCTION tafel_case_meetings(p_case_id bigint)
RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT m.id FROM meetings m
	WHERE m.state IN ('planned', 'open') AND EXISTS (SELECT 1
	    FROM agenda_items a WHERE a.meeting_id = m.id AND a.case_id = p_case_id)
	ORDER BY m.id
$$;

-- The payload of a change as the sessions get it: when an item became
-- current, the case and ALL its action points as they are now (the
-- organisations present may now see them in full; a snapshot has the
-- finished ones too), and the case's newest info round as it is now (the
-- organisations present may now see the other organisations' answers).
CREATE OR REPLACE FUNCTION tafel_event_payload(c changelog)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	v_case bigint;
BEGIN
	IF c.payload ? 'meeting' AND NOT c.payload ? 'case'
	    AND jsonb_typeof(c.payload -> 'agenda_items') = 'array' THEN
		SELECT ai.case_id INTO v_case
		FROM jsonb_array_elements(c.payload -> 'agenda_items') e
		JOIN agenda_items ai ON ai.id = (e ->> 'id')::bigint
		WHERE e ->> 'state' = 'current'
		LIMIT 1;
		IF v_case IS NOT NULL THEN
			-- the bulk builders (62_bulk.sql): the same JSON as
			-- tafel_json_case / tafel_json_case_actions(v_case, false),
			-- with plans cached for the session
			RETURN c.payload || jsonb_build_object(
			    'case', tafel_json_cases(ARRAY[v_case]) -> 0,
			    'actions', tafel_json_actions_of(ARRAY[v_case]))
			    || tafel_json_case_round(v_case);
		END IF;
	END IF;
	RETURN c.payload;
END
$$;

-- One change for one viewer (NULL: the viewer may not see it).
CREATE OR REPLACE FUNCTION tafel_event_render(c changelog, p_payload jsonb,
    p_user_id bigint, p_pres_meeting bigint, p_meeting_ctx bigint)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	u users;
	m meetings;
	v_bm bigint := 0;
	v_ctx bigint;
BEGIN
	SELECT * INTO u FROM users WHERE id = p_user_id;
	IF NOT FOUND OR u.disabled OR u.roles = ARRAY['steering']::text[] THEN
		RETURN NULL;
	END IF;
	-- a change logged because a person of another case (match_of) matched
	-- this one (tafel_log_match_changes): "eerder besproken" can move only
	-- for a viewer who may see that case's persons in full; anyone else
	-- would learn from the change itself that a hidden case holds one of
	-- the persons (docs/security.md rule 7: "without a trace")
	IF p_payload ? 'match_of' THEN
		IF NOT coalesce(tafel_access(u.id, (p_payload ->> 'match_of')::bigint)
		    -> 'cats' ?& ARRAY['person_names', 'birth_dates'], false) THEN
			RETURN NULL;
		END IF;
		p_payload := p_payload - 'match_of';
	END IF;
	-- an inbox entry: its recipients and sender only, never on a beamer
	IF p_payload ? 'inbox_entry' THEN
		IF coalesce(p_pres_meeting, 0) > 0 THEN
			RETURN NULL;
		END IF;
		RETURN (SELECT jsonb_build_object('inbox_entry', r)
		    FROM tafel_render_inbox(u.id, p_payload -> 'inbox_entry',
			'event') r WHERE r IS NOT NULL);
	END IF;
	IF coalesce(p_pres_meeting, 0) > 0 THEN
		SELECT * INTO m FROM meetings WHERE id = p_pres_meeting;
		IF NOT FOUND OR NOT tafel_may_chair(u, m) THEN
			RETURN NULL;
		END IF;
		RETURN tafel_render(u.id, m.id, 0, p_payload, 'beamer', m.id, true);
	END IF;
	-- the chair's view carries what the shared screen would show
	v_ctx := coalesce(nullif(p_meeting_ctx, 0), c.meeting_id,
	    (SELECT min(x) FROM tafel_case_meetings(c.case_id) x
		JOIN meetings mm ON mm.id = x WHERE mm.chair_id = u.id));
	IF v_ctx IS NOT NULL THEN
		SELECT * INTO m FROM meetings WHERE id = v_ctx;
		IF FOUND AND tafel_may_chair(u, m) THEN
			v_bm := m.id;
		END IF;
	END IF;
	RETURN tafel_render(u.id, 0, v_bm, p_payload, 'event',
	    coalesce(c.meeting_id, 0), true);
END
$$;

-- A viewer's id field as tafel_arg_id reads it, without a PL/pgSQL call
-- (with its SET clause and exception block, some 7 microseconds): a plain
-- JSON number of up to 18 digits is cast here, anything else goes to
-- tafel_arg_id (the same value or the same error).  No SET clause, so
-- that PostgreSQL inlines it; tafel_app may not execute it.  The slow
-- path of tafel_viewer_classes.
CREATE OR REPLACE FUNCTION tafel_viewer_arg(e jsonb, f text)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN jsonb_typeof(e -> f) = 'number'
	    AND (e ->> f) ~ '^[0-9]{1,18}$' THEN (e ->> f)::bigint
	    ELSE tafel_arg_id(e, f) END
$$;

-- The rendering class of each viewer of one change: viewers with the same
-- class get the same bytes.  What tafel_render depends on per viewer is
-- the organisation (involvement, covenant, categories, its own action
-- points), the observer role, and the meeting the session follows; a
-- viewer for whom anything depends on the person instead (an admin, the
-- chair of any meeting, a process manager, someone attending outside
-- their organisation, a disabled or unknown user, a shared screen) or a
-- change carrying nominations or person links (per-person rules) forms a
-- class of its own.  One set-based query for all viewers.  The viewers'
-- fields are read by jsonb_to_recordset (about 2 microseconds a viewer);
-- only when that refuses them (not integers: a string that is no number,
-- a fraction, an element that is no object) are they read one by one as
-- tafel_arg_id reads them (tafel_viewer_arg: some 9 microseconds a
-- viewer), for the same values or tafel_arg_id's error.  An absent or
-- null field is 0 either way.
CREATE OR REPLACE FUNCTION tafel_viewer_classes(p_viewers jsonb,
    p_personal boolean)
RETURNS TABLE (idx int, user_id bigint, pres bigint, ctx bigint, class text)
LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	v_list jsonb := CASE WHEN jsonb_typeof(p_viewers) = 'array'
	    THEN p_viewers ELSE '[]' END;
	v_uid bigint[];
	v_pres bigint[];
	v_ctx bigint[];
	v_fast boolean := true;
BEGIN
	BEGIN
		SELECT array_agg(coalesce(t.user_id, 0) ORDER BY t.n),
		    array_agg(coalesce(t.presentation_meeting, 0) ORDER BY t.n),
		    array_agg(coalesce(t.meeting_id, 0) ORDER BY t.n)
		INTO v_uid, v_pres, v_ctx
		FROM ROWS FROM (jsonb_to_recordset(v_list) AS (user_id bigint,
		    presentation_meeting bigint, meeting_id bigint))
		    WITH ORDINALITY AS t(user_id, presentation_meeting,
			meeting_id, n);
	EXCEPTION WHEN OTHERS THEN
		v_fast := false;
	END;
	IF NOT v_fast THEN
		SELECT array_agg(v.uid ORDER BY v.n), array_agg(v.pres ORDER BY v.n),
		    array_agg(v.ctx ORDER BY v.n)
		INTO v_uid, v_pres, v_ctx
		FROM (SELECT t.n, tafel_viewer_arg(t.e, 'user_id') AS uid,
			coalesce(tafel_viewer_arg(t.e, 'presentation_meeting'), 0)
			    AS pres,
			coalesce(tafel_viewer_arg(t.e, 'meeting_id'), 0) AS ctx
		    FROM jsonb_array_elements(v_list) WITH ORDINALITY AS t(e, n)
		    -- read each field once, not once per reference
		    OFFSET 0) v;
	END IF;
	RETURN QUERY
	SELECT (v.n - 1)::int, v.uid, v.pres, v.ctx,
	    CASE WHEN p_personal OR u.id IS NULL OR u.disabled OR v.pres <> 0
		OR 'admin' = ANY (u.roles)
		-- per viewer, so that the attendance index is used: a hashed
		-- set would read the whole attendance history at every push
		OR EXISTS (SELECT 1 FROM meetings m WHERE m.chair_id = u.id)
		OR EXISTS (SELECT 1 FROM attendance a WHERE a.user_id = u.id
		    AND a.org_id IS DISTINCT FROM u.org_id)
		OR EXISTS (SELECT 1 FROM process_managers p WHERE p.user_id = u.id)
	    THEN 'v' || v.n
	    ELSE concat_ws(':', 'o', u.org_id,
		u.roles && ARRAY['admin', 'chair', 'member'], v.ctx) END
	FROM unnest(coalesce(v_uid, '{}'), coalesce(v_pres, '{}'),
	    coalesce(v_ctx, '{}')) WITH ORDINALITY AS v(uid, pres, ctx, n)
	LEFT JOIN users u ON u.id = v.uid;
END
$$;

-- The push's read audit (0012, 0014): what one call disclosed is recorded
-- in its own transaction as one audit_pending row, groups of audit
-- entries and their members; tafel_audit_fold turns pending rows into
-- disclosures (one row per viewer x case x Amsterdam day x meeting x
-- organisation x context) in bulk.

-- Records the disclosures of a push to viewer classes: p_entries[k] is
-- the JSON array of audit entries ({org_id, case_id, categories,
-- meeting_id, context}, as tafel_audit_add_many collects them) of the
-- k-th class that got any, p_seqs[k] the change it got, and p_class /
-- p_uids list every member of those classes (p_class[i]: the class of
-- viewer p_uids[i]).  One INSERT, whatever the number of viewers.
DROP FUNCTION IF EXISTS tafel_audit_disclose_classes(jsonb[], int[], bigint[]);
CREATE OR REPLACE FUNCTION tafel_audit_disclose_classes(p_entries jsonb[],
    p_seqs bigint[], p_class int[], p_uids bigint[])
RETURNS void LANGUAGE plpgsql SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	IF cardinality(p_entries) > 0 AND cardinality(p_uids) > 0 THEN
		INSERT INTO audit_pending (at, entries, seqs, grp, uids)
		VALUES (clock_timestamp(), p_entries, p_seqs, p_class, p_uids);
	END IF;
END
$$;

-- The same for audit entries given one by one: p_rows is a JSON array of
-- {user_id, org_id, case_id, categories, meeting_id, context, seq}; the
-- entries of one viewer and change form a group (a resume: one viewer,
-- several changes).
CREATE OR REPLACE FUNCTION tafel_audit_disclose(p_rows jsonb)
RETURNS void LANGUAGE plpgsql SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	v_entries jsonb[];
	v_seqs bigint[];
	v_uids bigint[];
BEGIN
	SELECT array_agg(g.entries ORDER BY g.user_id, g.seq),
	    array_agg(g.seq ORDER BY g.user_id, g.seq),
	    array_agg(g.user_id ORDER BY g.user_id, g.seq)
	INTO v_entries, v_seqs, v_uids
	FROM (SELECT (r ->> 'user_id')::bigint AS user_id,
		(r ->> 'seq')::bigint AS seq,
		jsonb_agg(r - 'user_id' - 'seq') AS entries
	    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p_rows) = 'array'
		THEN p_rows ELSE '[]' END) r
	    GROUP BY 1, 2) g;
	PERFORM tafel_audit_disclose_classes(v_entries, v_seqs,
	    (SELECT array_agg(k) FROM generate_series(1, cardinality(v_entries)) k),
	    v_uids);
END
$$;

-- Folds pending disclosures into audit_disclosures, oldest first, at most
-- p_max rows of audit_pending (NULL: all), and says how many.  One row per
-- disclosure key, counting the changes of each call of the push that
-- disclosed it (a viewer in two classes of one push counts once), with
-- the first and last time and the union of the categories, inserted or
-- merged in key order.  Each group's entries are read once (g), then
-- joined to its members; the categories travel as four booleans (the
-- four of tafel_cats_sorted), so that plain hashed aggregates do the
-- work: about 1.5 microseconds per member and change.  One fold at a
-- time: tafeld's periodic call (p_wait false) gives way to a fold already
-- running; the privacy officer's queries (p_wait true) wait for it, then
-- fold the rest.
CREATE OR REPLACE FUNCTION tafel_audit_fold(p_max int, p_wait boolean)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
SET plan_cache_mode = force_generic_plan SET work_mem = '64MB' SET jit = off
AS $$
DECLARE
	v_n int;
BEGIN
	IF p_wait THEN
		PERFORM pg_advisory_xact_lock(hashtext('tafel_audit_fold'));
	ELSIF NOT pg_try_advisory_xact_lock(hashtext('tafel_audit_fold')) THEN
		RETURN 0;
	END IF;
	PERFORM set_config('tafel.audit_fold', 'on', true);
	WITH p AS (
		DELETE FROM audit_pending WHERE id IN (SELECT id FROM audit_pending
		    ORDER BY id LIMIT p_max)
		RETURNING id, at, entries, seqs, grp, uids),
	g AS MATERIALIZED (
		SELECT p.id, k, p.seqs[k] AS seq, p.at,
		    (p.at AT TIME ZONE 'Europe/Amsterdam')::date AS day,
		    r.case_id, coalesce(r.meeting_id, 0) AS meeting_id, r.org_id,
		    r.context,
		    'person_names' = ANY (r.categories) AS c1,
		    'birth_dates' = ANY (r.categories) AS c2,
		    'case_summary' = ANY (r.categories) AS c3,
		    'free_text' = ANY (r.categories) AS c4
		FROM p
		CROSS JOIN LATERAL generate_subscripts(p.entries, 1) k
		CROSS JOIN LATERAL jsonb_to_recordset(p.entries[k]) AS r(
		    case_id bigint, meeting_id bigint, org_id bigint, context text,
		    categories text[])
		WHERE cardinality(r.categories) > 0),
	m AS (
		SELECT p.id, u.k, u.uid
		FROM p CROSS JOIN LATERAL unnest(p.grp, p.uids) AS u(k, uid)),
	-- one row per viewer, key and change of a call
	a AS (
		SELECT m.uid, g.case_id, g.day, g.meeting_id, g.org_id, g.context,
		    min(g.at) AS at, bool_or(g.c1) AS c1, bool_or(g.c2) AS c2,
		    bool_or(g.c3) AS c3, bool_or(g.c4) AS c4
		FROM m JOIN g ON g.id = m.id AND g.k = m.k
		GROUP BY m.uid, g.case_id, g.day, g.meeting_id, g.org_id, g.context,
		    g.id, g.seq),
	ins AS (
		INSERT INTO audit_disclosures AS d (user_id, case_id, day,
		    meeting_id, org_id, context, categories, first_at, last_at,
		    count)
		SELECT a.uid, a.case_id, a.day, a.meeting_id, a.org_id, a.context,
		    array_remove(ARRAY[
			CASE WHEN bool_or(a.c1) THEN 'person_names' END,
			CASE WHEN bool_or(a.c2) THEN 'birth_dates' END,
			CASE WHEN bool_or(a.c3) THEN 'case_summary' END,
			CASE WHEN bool_or(a.c4) THEN 'free_text' END]::text[], NULL),
		    min(a.at), max(a.at), count(*)
		FROM a
		GROUP BY a.uid, a.case_id, a.day, a.meeting_id, a.org_id, a.context
		ORDER BY a.uid, a.case_id, a.day, a.meeting_id, a.org_id, a.context
		ON CONFLICT (user_id, case_id, day, meeting_id, org_id, context)
		DO UPDATE SET first_at = least(d.first_at, excluded.first_at),
		    last_at = greatest(d.last_at, excluded.last_at),
		    count = d.count + excluded.count,
		    categories = tafel_cats_sorted(d.categories
			|| excluded.categories)
		RETURNING 1)
	SELECT count(*) INTO v_n FROM p;
	PERFORM set_config('tafel.audit_fold', '', true);
	RETURN v_n;
END
$$;

-- Sharing one rendering between organisations' classes.  For a viewer
-- whose class is an organisation's ('o:...', tafel_viewer_classes: no
-- chair, admin, process manager or guest, not a shared screen) and a
-- payload without the records whose rules name the person (nominations,
-- proposals, info rounds, person links, inbox entries), tafel_render
-- decides everything from what it records in tafel.render_inputs when
-- asked: the viewer's roles and organisation, the shared screen (0) and
-- the chair's meeting (0), who may see each meeting the payload names
-- (and the meetings of its agenda items the viewer may not see), and the
-- access to each case of the payload.  tafel_events_for renders
-- the first class, takes its recorded inputs, and gives its rendering to
-- every later class whose inputs, computed the same way
-- (tafel_render_inputs), are equal after tafel_share_key; so a rendering
-- is only shared with a class that would have got exactly those bytes.

-- The inputs of tafel_render for an organisation's viewer u, as it
-- records them (p_ids: the cases of the payload, as tafel_render finds
-- them).
CREATE OR REPLACE FUNCTION tafel_render_inputs(u users, p_payload jsonb,
    p_ids bigint[])
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	v_see jsonb;
	v_known jsonb;	-- {meeting id: seen}, for tafel_items_hidden
BEGIN
	IF u.id IS NULL OR u.disabled THEN
		RETURN NULL;
	END IF;
	SELECT coalesce(jsonb_object_agg(s.k, s.seen), '{}'),
	    coalesce(jsonb_object_agg(s.mid::text, s.seen)
		FILTER (WHERE s.mid IS NOT NULL), '{}')
	INTO v_see, v_known
	FROM (SELECT t.k, x.mid, tafel_may_see_meeting(u, x.mid) AS seen
	    FROM jsonb_each(p_payload) AS t(k, v)
	    CROSS JOIN LATERAL (SELECT CASE WHEN t.k = 'agenda_published'
		THEN (t.v ->> 'meeting_id')::bigint
		ELSE coalesce((t.v ->> 'meeting_id')::bigint,
		    (t.v ->> 'id')::bigint) END AS mid) x
	    WHERE t.k IN ('meeting', 'attendance', 'agenda_published')) s;
	IF jsonb_typeof(p_payload -> 'agenda_items') = 'array' THEN
		v_see := v_see || jsonb_build_object('agenda_items', to_jsonb(
		    tafel_items_hidden(u, p_payload -> 'agenda_items', 0,
			v_known)));
	END IF;
	RETURN jsonb_build_array(u.roles, u.org_id, 0, 0, v_see,
	    tafel_cases_access(u.id, 0, 0, p_ids));
END
$$;

-- The key of a rendering's inputs (tafel.render_inputs): two classes with
-- the same key get the same bytes.  The access names the organisation
-- ('org': its own action points and contributions are shown in full even
-- without free_text / case_summary), and so does the inputs' second
-- element (the audit's organisation, which tafel_events_for puts right
-- per class); both are left out where they cannot matter: 'org' is kept
-- only where the access lacks free_text or case_summary and p_owners (the
-- owners of the payload's action points and contributions) holds it.
CREATE OR REPLACE FUNCTION tafel_share_key(p_inputs jsonb, p_owners bigint[])
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	RETURN (SELECT jsonb_build_array(p_inputs -> 0, p_inputs -> 2, p_inputs -> 3,
		    p_inputs -> 4, (SELECT coalesce(jsonb_object_agg(t.key, CASE
			WHEN t.value -> 'cats' ?& ARRAY['free_text', 'case_summary']
			    OR NOT (p_inputs ->> 1)::bigint = ANY (coalesce(p_owners, '{}'))
			THEN t.value || '{"org": 0}'::jsonb ELSE t.value END), '{}')
		    FROM jsonb_each(p_inputs -> 5) t))::text);
END
$$;

-- One change rendered for each viewer of p_viewers, a JSON array of
-- {"user_id": N, "presentation_meeting": M, "meeting_id": K}
-- (M: 0, or the meeting whose shared screen this is; K, optional: the
-- meeting the session is subscribed to, for the chair's beamer_* fields).
-- A row per viewer: idx is the 0-based index in the array; event the
-- Event for that viewer; same_as, when not NULL, says that the viewer
-- gets the same event as the viewer idx = same_as, whose row came
-- earlier (event is then NULL, so each rendering crosses the wire once);
-- both NULL: the viewer may not see the change.  Rendered once per class
-- (tafel_viewer_classes), and once for all organisations' classes that
-- render from the same inputs (tafel_share_key); the audit entries of the
-- class's first viewer are collected (tafel_audit_add_many; a class that
-- shares another's rendering takes its entries with its own
-- organisation) and recorded for every member of every class in one
-- audit_pending row (tafel_audit_disclose_classes), which
-- tafel_audit_fold turns into disclosures.
-- tafel.push_renders (local to the transaction) tells how many
-- renderings it took.  The server calls this; tafel_events_for gives the
-- same with every row's event filled in.
CREATE OR REPLACE FUNCTION tafel_push_events(p_seq bigint, p_viewers jsonb)
RETURNS TABLE (idx int, event jsonb, same_as int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	c changelog;
	u users;
	v_payload jsonb;
	v_event jsonb;
	v_got jsonb;
	v_at int;
	v_first int;
	v_inputs text;
	-- sharing: the payload allows it; its cases and owners (see
	-- tafel_share_key); the renderings so far: key, event, audit entries
	v_share boolean;
	v_ids bigint[];
	v_owners bigint[];
	v_skeys text[] := '{}';
	v_sevents jsonb[] := '{}';
	v_sgot jsonb[] := '{}';
	v_sfirst int[] := '{}';		-- the viewer whose row carries it
	v_renders int := 0;
	-- the audit entries of each class that got any, and its members
	v_entries jsonb[] := '{}';
	v_class int[] := '{}';
	v_uids bigint[] := '{}';
	r record;
BEGIN
	SELECT * INTO c FROM changelog cl WHERE cl.seq = p_seq;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	v_payload := tafel_event_payload(c);
	-- (a match follow-up depends on the access to its cause as well)
	v_share := NOT v_payload ?| ARRAY['nomination', 'nominations',
	    'proposal', 'info_round', 'info_rounds', 'person_link', 'links',
	    'inbox_entry', 'match_of'];
	IF v_share THEN
		-- the cases as tafel_render finds them, and the owners of
		-- action points and contributions
		SELECT array_agg(DISTINCT tafel_obj_case(tafel_key_kind(t.k), e))
			FILTER (WHERE tafel_obj_case(tafel_key_kind(t.k), e)
			    IS NOT NULL),
		    array_agg(DISTINCT (CASE tafel_key_kind(t.k)
			WHEN 'action' THEN e ->> 'owner_org_id'
			WHEN 'contribution' THEN e ->> 'org_id' END)::bigint)
			FILTER (WHERE tafel_key_kind(t.k)
			    IN ('action', 'contribution'))
		INTO v_ids, v_owners
		FROM jsonb_each(v_payload) AS t(k, v)
		CROSS JOIN LATERAL jsonb_array_elements(CASE
		    WHEN jsonb_typeof(t.v) = 'array' THEN t.v
		    WHEN jsonb_typeof(t.v) = 'object' THEN jsonb_build_array(t.v)
		    ELSE '[]' END) e
		WHERE tafel_key_kind(t.k) IS NOT NULL;
	END IF;
	PERFORM set_config('tafel.audit_collect', 'on', true);
	FOR r IN SELECT array_agg(vc.idx ORDER BY vc.idx) AS idxs,
	    array_agg(vc.user_id ORDER BY vc.idx) AS uids,
	    (array_agg(vc.pres ORDER BY vc.idx))[1] AS pres,
	    (array_agg(vc.ctx ORDER BY vc.idx))[1] AS ctx,
	    vc.class AS class
	    -- rendered per viewer: what depends on the user, not only on
	    -- the organisation (an inbox entry's sent_by_me)
	    FROM tafel_viewer_classes(p_viewers, v_payload ?| ARRAY[
		'nomination', 'nominations', 'person_link', 'links',
		'inbox_entry']) vc
	    GROUP BY vc.class ORDER BY min(vc.idx) LOOP
		v_at := NULL;
		-- a later organisation's class: the inputs it would render
		-- from, and a rendering made from the same ones
		IF v_share AND r.class LIKE 'o:%' AND cardinality(v_skeys) > 0
		THEN
			SELECT * INTO u FROM users WHERE id = r.uids[1];
			v_at := array_position(v_skeys, tafel_share_key(
			    tafel_render_inputs(u, v_payload, v_ids), v_owners));
		END IF;
		IF v_at IS NOT NULL THEN
			v_event := v_sevents[v_at];
			v_first := v_sfirst[v_at];
			-- the same entries, for this class's organisation
			SELECT coalesce(jsonb_agg(e || jsonb_build_object('org_id',
			    u.org_id) ORDER BY i), '[]') INTO v_got
			FROM jsonb_array_elements(v_sgot[v_at])
			    WITH ORDINALITY AS t(e, i);
		ELSE
			PERFORM set_config('tafel.audit_pending', '[]', true);
			PERFORM set_config('tafel.render_inputs', CASE WHEN v_share
			    AND r.class LIKE 'o:%' THEN 'want' ELSE '' END, true);
			v_event := tafel_event_render(c, v_payload, r.uids[1], r.pres,
			    r.ctx);
			v_first := NULL;	-- this class's first row carries it
			v_renders := v_renders + 1;
			v_got := current_setting('tafel.audit_pending')::jsonb;
			-- the inputs tafel_render recorded (none: not shared)
			v_inputs := current_setting('tafel.render_inputs');
			IF v_inputs NOT IN ('', 'want') THEN
				v_skeys := v_skeys || tafel_share_key(v_inputs::jsonb,
				    v_owners);
				v_sevents := v_sevents || v_event;
				v_sgot := v_sgot || v_got;
				v_sfirst := v_sfirst || r.idxs[1];
			END IF;
		END IF;
		IF jsonb_array_length(v_got) > 0 THEN
			v_entries := array_append(v_entries, v_got);
			v_class := v_class || array_fill(cardinality(v_entries),
			    ARRAY[cardinality(r.uids)]);
			v_uids := v_uids || r.uids;
		END IF;
		IF v_event IS NULL THEN
			RETURN QUERY SELECT x, NULL::jsonb, NULL::int
			FROM unnest(r.idxs) x;
		ELSIF v_first IS NULL THEN
			RETURN QUERY SELECT x, CASE WHEN x = r.idxs[1] THEN v_event END,
			    CASE WHEN x <> r.idxs[1] THEN r.idxs[1] END
			FROM unnest(r.idxs) x;
		ELSE
			RETURN QUERY SELECT x, NULL::jsonb, v_first
			FROM unnest(r.idxs) x;
		END IF;
	END LOOP;
	PERFORM set_config('tafel.audit_collect', '', true);
	PERFORM set_config('tafel.audit_pending', '', true);
	PERFORM set_config('tafel.render_inputs', '', true);
	PERFORM set_config('tafel.push_renders', v_renders::text, true);
	IF cardinality(v_entries) > 0 THEN
		PERFORM tafel_audit_disclose_classes(v_entries,
		    array_fill(c.seq, ARRAY[cardinality(v_entries)]), v_class,
		    v_uids);
	END IF;
END
$$;

-- tafel_push_events with every viewer's event filled in (same_as
-- resolved), in the same order: for readers that want each row whole
-- (SQL test 28, a server of an earlier version during an upgrade).
CREATE OR REPLACE FUNCTION tafel_events_for(p_seq bigint, p_viewers jsonb)
RETURNS TABLE (idx int, event jsonb)
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
	WITH e AS MATERIALIZED (SELECT x.idx, x.event, x.same_as, x.n
	    FROM tafel_push_events(p_seq, p_viewers) WITH ORDINALITY
		AS x(idx, event, same_as, n))
	SELECT e.idx, coalesce(e.event, f.event)
	FROM e LEFT JOIN e f ON f.idx = e.same_as
	ORDER BY e.n
$$;

-- The same for one viewer over several changes (resume), in seq order.
-- Every existing seq of p_seqs gives a row; event NULL when not visible.
-- The disclosures of all of them are recorded in one audit_pending row.
CREATE OR REPLACE FUNCTION tafel_events_for_viewer(p_user bigint,
    p_presentation_meeting bigint, p_seqs bigint[])
RETURNS TABLE (seq bigint, event jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	c changelog;
	v_got jsonb;
	v_rows jsonb := '[]';
BEGIN
	PERFORM tafel_set_user(p_user);
	PERFORM set_config('tafel.audit_collect', 'on', true);
	FOR c IN SELECT * FROM changelog cl
	    WHERE cl.seq = ANY (coalesce(p_seqs, '{}')) ORDER BY cl.seq LOOP
		PERFORM set_config('tafel.audit_pending', '[]', true);
		seq := c.seq;
		event := tafel_event_render(c, tafel_event_payload(c), p_user,
		    coalesce(p_presentation_meeting, 0), 0);
		v_got := current_setting('tafel.audit_pending')::jsonb;
		IF jsonb_array_length(v_got) > 0 THEN
			v_rows := v_rows || (SELECT jsonb_agg(g || jsonb_build_object(
			    'user_id', p_user, 'seq', c.seq))
			    FROM jsonb_array_elements(v_got) g);
		END IF;
		RETURN NEXT;
	END LOOP;
	PERFORM set_config('tafel.audit_collect', '', true);
	PERFORM set_config('tafel.audit_pending', '', true);
	PERFORM tafel_audit_disclose(v_rows);
END
$$;

-- Warming a new pool connection (tafeld, db_warm_up): a backend plans
-- each statement of a PL/pgSQL function at its first execution and keeps
-- the plan for the session, so the first snapshot a new connection builds
-- costs some 50 ms more than the next ones (the planning of the bulk
-- builders and the catalogue reads).  This builds the snapshot's parts
-- (tafel_snapshot_parts, what tafel_snapshot_json builds and redacts) of
-- the planned or open meeting with the longest agenda for its chair and
-- for a member of another organisation of its series, with the audit rows
-- they would have (tafel_audit_rows, not written), classes the two as the
-- push does and renders the meeting's latest change (else the log's
-- latest) for both.  It writes nothing: the renderings' audit entries go
-- to the session's pending list (tafel.audit_collect), which it drops, as
-- nothing was disclosed to anyone and only a count leaves this function;
-- so no sequence moves either (an audit id burnt at every start would
-- look like a deleted row).  The work runs in a subtransaction it rolls
-- back, which also restores the settings it changed.  Never raises: a
-- failure only leaves the connection cold.  Returns the number of
-- renderings built (0: nothing to warm with).
CREATE OR REPLACE FUNCTION tafel_warm_up()
RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	m meetings;
	c changelog;
	v_user users;
	p record;
	v_member bigint;
	v_viewers bigint[];
	v_payload jsonb;
	v_n int := 0;
	v_uid bigint;
BEGIN
	-- compiled now, not at the connection's first write: compiling it
	-- takes a lock on action_points (its record variable), which a write
	-- that touches no action point would otherwise wait for behind an
	-- ACCESS EXCLUSIVE lock on that table (test_planning's opener)
	PERFORM tafel_keep_hidden(NULL::users, '', '{}'::jsonb);
	SELECT mm.* INTO m FROM meetings mm
	WHERE mm.state IN ('planned', 'open')
	ORDER BY (SELECT count(*) FROM agenda_items a
	    WHERE a.meeting_id = mm.id) DESC, mm.id
	LIMIT 1;
	IF NOT FOUND THEN
		RETURN 0;
	END IF;
	SELECT u.id INTO v_member FROM users u
	JOIN series_members sm ON sm.org_id = u.org_id
	    AND sm.series_id = m.series_id
	WHERE u.id <> m.chair_id AND NOT u.disabled
	    AND u.roles && ARRAY['member']
	ORDER BY u.org_id = (SELECT org_id FROM users WHERE id = m.chair_id),
	    u.id
	LIMIT 1;
	v_viewers := array_remove(ARRAY[m.chair_id, v_member], NULL);
	-- the meeting's latest change, else the latest of all
	SELECT * INTO c FROM changelog cl
	WHERE cl.seq = coalesce((SELECT max(x.seq) FROM changelog x
	    WHERE x.meeting_id = m.id), (SELECT max(x.seq) FROM changelog x));
	BEGIN
		PERFORM set_config('tafel.audit_collect', 'on', true);
		FOREACH v_uid IN ARRAY v_viewers LOOP
			SELECT * INTO v_user FROM users WHERE id = v_uid;
			SELECT * INTO p FROM tafel_snapshot_parts(v_uid, m.id, 0,
			    CASE WHEN tafel_may_chair(v_user, m) THEN m.id ELSE 0 END);
			PERFORM count(*) FROM tafel_audit_rows(v_user, 0, m.id,
			    'snapshot', p.sent);
			v_n := v_n + 1;
		END LOOP;
		IF c.seq IS NOT NULL THEN
			PERFORM count(*) FROM tafel_viewer_classes(
			    (SELECT jsonb_agg(jsonb_build_object('user_id', x))
			    FROM unnest(v_viewers) x), false);
			v_payload := tafel_event_payload(c);
			FOREACH v_uid IN ARRAY v_viewers LOOP
				PERFORM set_config('tafel.audit_pending', '[]', true);
				PERFORM tafel_event_render(c, v_payload, v_uid, 0, 0);
			END LOOP;
			v_n := v_n + 1;
		END IF;
		RAISE EXCEPTION USING ERRCODE = 'TF999', MESSAGE = 'warm-up done';
	EXCEPTION WHEN OTHERS THEN
		IF SQLSTATE <> 'TF999' THEN
			RAISE LOG 'tafel_warm_up: % (%)', SQLERRM, SQLSTATE;
		END IF;
	END;
	RETURN v_n;
END
$$;
