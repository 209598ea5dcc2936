-- 0005 covenant: what each organisation may see of a case, enforced.
--
--  * Access rules: data categories per organisation kind (kind_data_access,
--    overridden per organisation by org_data_access); full view for
--    involved organisations and for organisations present in a meeting
--    where the case was opened (agenda_items.opened_at); a pseudonymised
--    view otherwise.  The builders of 0003 stay unredacted (they feed the
--    change log); every entry function renders per viewer with
--    tafel_render().
--  * The shared screen (presentation): the intersection of what every
--    present user and the chair may see.
--  * Read audit (audit_log, append-only), login lockout, retention
--    (tafel_purge, purge_log, legal hold).
--  * The server's role tafel_app: EXECUTE on the entry functions only,
--    SELECT on the register behind row-level security, no access to
--    changelog, summary or decision columns, INSERT-only on audit_log.
--
-- docs/schema.md and docs/security.md describe all of it.

-- ---------------------------------------------------------------------------
-- Schema additions
-- ---------------------------------------------------------------------------

INSERT INTO data_categories (code, description) VALUES
	('free_text', 'free text about persons: decisions, action point '
	    || 'descriptions and completion notes')
ON CONFLICT (code) DO NOTHING;

-- The categories an organisation KIND may see by default.  Rows in
-- org_data_access for an organisation replace its kind's defaults.
CREATE TABLE kind_data_access (
	kind		text NOT NULL CHECK (kind IN (
			    'police', 'prosecutor', 'probation', 'municipality',
			    'child_protection', 'veilig_thuis', 'youth_care',
			    'mental_health', 'addiction_care', 'housing',
			    'victim_support', 'other')),
	category	text NOT NULL REFERENCES data_categories (code),
	PRIMARY KEY (kind, category)
);

INSERT INTO kind_data_access (kind, category)
SELECT k, c
FROM unnest(ARRAY['police', 'prosecutor', 'probation', 'municipality',
    'child_protection', 'veilig_thuis', 'youth_care', 'mental_health',
    'addiction_care']) k,
    unnest(ARRAY['person_names', 'birth_dates', 'case_summary', 'free_text']) c;
INSERT INTO kind_data_access (kind, category) VALUES
	('housing', 'person_names'), ('housing', 'free_text'),
	('victim_support', 'person_names'), ('victim_support', 'case_summary'),
	('victim_support', 'free_text');
-- 'other': nothing

-- When an agenda item was first opened (became current).  Organisations
-- present in that meeting see the case in full from that moment on.
ALTER TABLE agenda_items ADD COLUMN opened_at timestamptz;
UPDATE agenda_items SET opened_at = coalesce(discussed_at, updated_at)
WHERE state IN ('current', 'discussed') AND opened_at IS NULL;

CREATE FUNCTION tafel_agenda_item_opened()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	IF NEW.state <> 'pending' AND NEW.opened_at IS NULL THEN
		NEW.opened_at := CASE WHEN NEW.state = 'discussed'
		    THEN coalesce(NEW.discussed_at, now()) ELSE now() END;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER agenda_items_opened BEFORE INSERT OR UPDATE OF state
	ON agenda_items FOR EACH ROW EXECUTE FUNCTION tafel_agenda_item_opened();

-- Anonymised action points have an empty description (tafel_purge); the
-- write operations still require one.
ALTER TABLE action_points DROP CONSTRAINT action_points_description_check;

-- Login lockout
ALTER TABLE users
	ADD COLUMN failed_logins integer NOT NULL DEFAULT 0,
	ADD COLUMN locked_until timestamptz;

-- The read audit: one row per (user, case) per call that returned
-- personal data of the case, with the categories actually sent.  No
-- personal data in it; append-only.
CREATE TABLE audit_log (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT clock_timestamp(),
	user_id		bigint NOT NULL REFERENCES users (id),
	org_id		bigint NOT NULL REFERENCES organisations (id),
	case_id		bigint NOT NULL REFERENCES cases (id),
	categories	text[] NOT NULL,
	meeting_id	bigint,
	context		text NOT NULL CHECK (context IN ('snapshot', 'event',
			    'case_view', 'case_list', 'action_list', 'beamer',
			    'conflict', 'write'))
);

CREATE INDEX audit_log_case_idx ON audit_log (case_id, at);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at);

CREATE FUNCTION tafel_audit_log_guard()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	IF TG_OP = 'DELETE' AND current_setting('tafel.purge', true) = 'on' THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'TF010',
	    MESSAGE = 'the audit log is append-only';
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION tafel_audit_log_guard();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION tafel_audit_log_guard();

-- Retention: one row per anonymised case (counts only, no data).
CREATE TABLE purge_log (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	case_id		bigint NOT NULL REFERENCES cases (id),
	case_number	text NOT NULL,
	closed_at	timestamptz,
	reason		text NOT NULL,
	removed		jsonb NOT NULL
);

-- ---------------------------------------------------------------------------
-- The current user of an entry function (transaction-local setting read by
-- the row-level security policies)
-- ---------------------------------------------------------------------------

CREATE FUNCTION tafel_set_user(p_user_id bigint)
RETURNS void LANGUAGE sql SET search_path = public AS $$
	SELECT set_config('tafel.user_id', coalesce(p_user_id, 0)::text, true);
$$;

-- The acting user of an entry function (0003): exists and is not disabled
-- (else FORBIDDEN).  Since 0005 it is also where an entry function
-- establishes its user: tafel.user_id is set to it (VOLATILE for that).
CREATE OR REPLACE FUNCTION tafel_actor(p_user_id bigint)
RETURNS users LANGUAGE plpgsql VOLATILE SET search_path = public AS $$
DECLARE
	u users;
BEGIN
	PERFORM tafel_set_user(p_user_id);
	SELECT * INTO u FROM users WHERE id = p_user_id;
	IF NOT FOUND OR u.disabled THEN
		PERFORM tafel_raise('TF010', 'unknown or disabled user');
	END IF;
	RETURN u;
END
$$;

CREATE FUNCTION tafel_rls_user()
RETURNS bigint LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT CASE WHEN coalesce(current_setting('tafel.user_id', true), '')
	    ~ '^[0-9]{1,18}$' THEN current_setting('tafel.user_id', true)::bigint
	    ELSE 0 END
$$;

-- ---------------------------------------------------------------------------
-- Access rules
-- ---------------------------------------------------------------------------

CREATE FUNCTION tafel_all_categories()
RETURNS text[] LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT ARRAY['person_names', 'birth_dates', 'case_summary', 'free_text']
$$;

-- p_cats in the canonical order, without unknown words.
CREATE FUNCTION tafel_cats_sorted(p_cats text[])
RETURNS text[] LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT ARRAY(SELECT c FROM unnest(tafel_all_categories())
	    WITH ORDINALITY t(c, i) WHERE c = ANY (coalesce(p_cats, '{}'))
	    ORDER BY i)
$$;

-- The categories an organisation may see when it sees a case at all: none
-- without the covenant; its own org_data_access rows if it has any; else
-- its kind's defaults.
CREATE FUNCTION tafel_org_categories(p_org_id bigint)
RETURNS text[] LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT tafel_cats_sorted(CASE
	    WHEN NOT o.covenant_signed THEN '{}'::text[]
	    WHEN EXISTS (SELECT 1 FROM org_data_access x WHERE x.org_id = o.id)
		THEN ARRAY(SELECT x.category FROM org_data_access x
		    WHERE x.org_id = o.id)
	    ELSE ARRAY(SELECT k.category FROM kind_data_access k
		WHERE k.kind = o.kind) END)
	FROM organisations o WHERE o.id = p_org_id
$$;

-- Involved: the submitter, the owner of an action point on the case, or
-- listed in case_involved_orgs.
CREATE FUNCTION tafel_org_involved(p_org_id bigint, p_case_id bigint)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT EXISTS (SELECT 1 FROM cases c
		WHERE c.id = p_case_id AND c.submitter_org_id = p_org_id)
	    OR EXISTS (SELECT 1 FROM case_involved_orgs i
		WHERE i.case_id = p_case_id AND i.org_id = p_org_id)
	    OR EXISTS (SELECT 1 FROM action_points a
		WHERE a.case_id = p_case_id AND a.owner_org_id = p_org_id)
$$;

-- The case was opened (became current) in a meeting where a user of the
-- organisation is recorded present.
CREATE FUNCTION tafel_org_opened(p_org_id bigint, p_case_id bigint)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT EXISTS (SELECT 1 FROM agenda_items ai
	    JOIN attendance a ON a.meeting_id = ai.meeting_id
	    WHERE ai.case_id = p_case_id AND ai.opened_at IS NOT NULL
		AND a.org_id = p_org_id AND a.present)
$$;

-- What user p_user_id may see of a case:
--   {"cats": [...], "reason": "" | not_involved | not_signatory | observer
--    | category, "org": <the user's organisation: its own action points
--    are shown in full>, "connected": <may know the case exists>}
CREATE FUNCTION tafel_access(p_user_id bigint, p_case_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
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
	v_involved := tafel_org_involved(o.id, p_case_id);
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

CREATE FUNCTION tafel_reason_rank(p_reason text)
RETURNS int LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT CASE p_reason WHEN 'observer' THEN 4 WHEN 'not_signatory' THEN 3
	    WHEN 'not_involved' THEN 2 WHEN 'category' THEN 1 ELSE 0 END
$$;

-- The users whose view a meeting's shared screen must respect: everyone
-- recorded present, the chair, and the presenter.
CREATE FUNCTION tafel_beamer_viewers(p_meeting_id bigint, p_presenter bigint)
RETURNS SETOF bigint LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT a.user_id FROM attendance a
	WHERE a.meeting_id = p_meeting_id AND a.present
	UNION SELECT m.chair_id FROM meetings m WHERE m.id = p_meeting_id
	UNION SELECT p_presenter WHERE coalesce(p_presenter, 0) <> 0
$$;

-- The shared screen's view of a case: the intersection of the views of
-- tafel_beamer_viewers.  reason 'presentation' when anything is hidden;
-- beamer_reason is the strongest reason of a viewer who lacks something.
-- "org" is 0: no organisation's own action points are shown in full.
-- p_presenter_access: tafel_access(p_presenter, p_case_id) when the caller
-- has it already (each viewer's access is computed once).
CREATE FUNCTION tafel_beamer_access(p_meeting_id bigint, p_presenter bigint,
    p_case_id bigint, p_presenter_access jsonb DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	v_cats text[] := tafel_all_categories();
	v_worst text := '';
	v_user bigint;
	v_pres jsonb := p_presenter_access;
	a jsonb;
	v_a text[];
BEGIN
	FOR v_user IN SELECT * FROM tafel_beamer_viewers(p_meeting_id, p_presenter)
	LOOP
		IF v_user = p_presenter THEN
			v_pres := coalesce(v_pres, tafel_access(v_user, p_case_id));
			a := v_pres;
		ELSE
			a := tafel_access(v_user, p_case_id);
		END IF;
		v_a := ARRAY(SELECT jsonb_array_elements_text(a -> 'cats'));
		v_cats := ARRAY(SELECT c FROM unnest(v_cats) c WHERE c = ANY (v_a));
		IF NOT v_a @> tafel_all_categories()
		    AND tafel_reason_rank(a ->> 'reason') > tafel_reason_rank(v_worst)
		THEN
			v_worst := a ->> 'reason';
		END IF;
	END LOOP;
	v_cats := tafel_cats_sorted(v_cats);
	v_pres := coalesce(v_pres, tafel_access(p_presenter, p_case_id));
	RETURN jsonb_build_object('cats', to_jsonb(v_cats),
	    'reason', CASE WHEN v_cats @> tafel_all_categories() THEN ''
		ELSE 'presentation' END,
	    'beamer_reason', CASE WHEN v_cats @> tafel_all_categories() THEN ''
		ELSE v_worst END,
	    'org', 0, 'connected', (v_pres ->> 'connected')::boolean);
END
$$;

-- ---------------------------------------------------------------------------
-- Redaction of the JSON objects (pure functions of the object and an
-- access object from tafel_access / tafel_beamer_access)
-- ---------------------------------------------------------------------------

-- "Jeroen van Dijk" -> "J. v. D."
CREATE FUNCTION tafel_initials(p_name text)
RETURNS text LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT coalesce(string_agg(left(w, 1) || '.', ' ' ORDER BY i), '')
	FROM regexp_split_to_table(btrim(coalesce(p_name, '')), '\s+')
	    WITH ORDINALITY AS t(w, i)
	WHERE w <> ''
$$;

CREATE FUNCTION tafel_redact_person(p jsonb, a jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT p || jsonb_build_object(
	    'name', CASE WHEN a -> 'cats' ? 'person_names' THEN p -> 'name'
		ELSE to_jsonb(tafel_initials(p ->> 'name')) END,
	    'birth_date', CASE WHEN a -> 'cats' ? 'birth_dates'
		THEN coalesce(p -> 'birth_date', '""') ELSE '""' END)
$$;

CREATE FUNCTION tafel_redact_case(c jsonb, a jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT c || jsonb_build_object(
	    'summary', CASE WHEN a -> 'cats' ? 'case_summary'
		THEN coalesce(c -> 'summary', '""') ELSE '""' END,
	    'persons', coalesce((SELECT jsonb_agg(tafel_redact_person(p, a)
		ORDER BY i) FROM jsonb_array_elements(CASE WHEN jsonb_typeof(
		    c -> 'persons') = 'array' THEN c -> 'persons' ELSE '[]' END)
		WITH ORDINALITY AS t(p, i)), '[]'::jsonb),
	    'redacted', coalesce(a ->> 'reason', '') <> '',
	    'redaction_reason', coalesce(a ->> 'reason', ''),
	    'hidden_categories', to_jsonb(ARRAY(SELECT x
		FROM unnest(tafel_all_categories()) WITH ORDINALITY t(x, i)
		WHERE NOT a -> 'cats' ? x ORDER BY i)),
	    'beamer_redacted', coalesce((a ->> 'beamer_redacted')::boolean, false),
	    'beamer_reason', coalesce(a ->> 'beamer_reason', ''))
$$;

CREATE FUNCTION tafel_redact_item(it jsonb, a jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT CASE WHEN a -> 'cats' ? 'free_text' THEN it
	    ELSE it || '{"decision": ""}'::jsonb END
$$;

-- An action point: in full with free_text, or for its own organisation.
CREATE FUNCTION tafel_action_visible(x jsonb, a jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT a -> 'cats' ? 'free_text'
	    OR (coalesce((a ->> 'org')::bigint, 0) <> 0
		AND (x ->> 'owner_org_id')::bigint = (a ->> 'org')::bigint)
$$;

CREATE FUNCTION tafel_redact_action(x jsonb, a jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT CASE WHEN tafel_action_visible(x, a) THEN x
	    ELSE x || '{"description": "", "completion_note": ""}'::jsonb END
$$;

-- The categories of personal data an object carries to the viewer.
CREATE FUNCTION tafel_sent_categories(p_kind text, x jsonb, a jsonb)
RETURNS text[] LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT ARRAY(SELECT c FROM unnest(CASE p_kind
	    WHEN 'case' THEN ARRAY[
		CASE WHEN jsonb_typeof(x -> 'persons') = 'array'
		    AND jsonb_array_length(x -> 'persons') > 0 THEN 'person_names' END,
		CASE WHEN EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN
		    jsonb_typeof(x -> 'persons') = 'array' THEN x -> 'persons'
		    ELSE '[]' END) p WHERE coalesce(p ->> 'birth_date', '') <> '')
		    THEN 'birth_dates' END,
		CASE WHEN coalesce(x ->> 'summary', '') <> '' THEN 'case_summary' END]
	    WHEN 'person' THEN ARRAY['person_names',
		CASE WHEN coalesce(x ->> 'birth_date', '') <> '' THEN 'birth_dates'
		END]
	    WHEN 'item' THEN ARRAY[CASE WHEN coalesce(x ->> 'decision', '') <> ''
		THEN 'free_text' END]
	    WHEN 'action' THEN ARRAY[CASE WHEN tafel_action_visible(x, a)
		AND (coalesce(x ->> 'description', '') <> ''
		    OR coalesce(x ->> 'completion_note', '') <> '')
		THEN 'free_text' END]
	    ELSE '{}'::text[] END) c
	    WHERE c IS NOT NULL AND (a -> 'cats' ? c
		OR (p_kind = 'action' AND c = 'free_text')))
$$;

-- The case id an object belongs to.
CREATE FUNCTION tafel_obj_case(p_kind text, x jsonb)
RETURNS bigint LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT CASE WHEN p_kind = 'case' THEN (x ->> 'id')::bigint
	    ELSE (x ->> 'case_id')::bigint END
$$;

-- The kind of the objects under a key of an Event-shaped object.
CREATE FUNCTION tafel_key_kind(p_key text)
RETURNS text LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT CASE p_key WHEN 'case' THEN 'case' WHEN 'cases' THEN 'case'
	    WHEN 'person' THEN 'person'
	    WHEN 'action_point' THEN 'action' WHEN 'actions' THEN 'action'
	    WHEN 'agenda_items' THEN 'item' WHEN 'history' THEN 'item' END
$$;

CREATE FUNCTION tafel_redact_obj(p_kind text, x jsonb, a jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT CASE p_kind WHEN 'case' THEN tafel_redact_case(x, a)
	    WHEN 'person' THEN tafel_redact_person(x, a)
	    WHEN 'action' THEN tafel_redact_action(x, a)
	    WHEN 'item' THEN tafel_redact_item(x, a) ELSE x END
$$;

-- Renders an Event-shaped object (keys among meeting, attendance,
-- agenda_items, case, person, action_point, actions, and for the reads
-- cases and history) for one viewer, and writes the audit rows.
--
--   p_pres_meeting  > 0: the shared screen of that meeting (p_viewer is the
--                   presenter); audit rows per present organisation.
--   p_beamer_meeting > 0: add beamer_redacted/beamer_reason to cases (the
--                   chair's view of that meeting).
--   p_context       audit_log.context, or NULL for no audit.
--   p_drop          leave out what the viewer may not see at all (objects
--                   of cases they have no connection to, a meeting they may
--                   not see); NULL when nothing is left.
CREATE FUNCTION tafel_render(p_viewer bigint, p_pres_meeting bigint,
    p_beamer_meeting bigint, p_obj jsonb, p_context text,
    p_audit_meeting bigint, p_drop boolean)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users;
	v_acc jsonb := '{}';
	v_sent jsonb := '{}';
	v_out jsonb := '{}';
	v_ids bigint[];
	v_cid bigint;
	v_key text;
	v_val jsonb;
	v_kind text;
	v_arr jsonb;
	v_el jsonb;
	a jsonb;
	b jsonb;
	v_cats text[];
	v_org bigint;
BEGIN
	IF p_obj IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO u FROM users WHERE id = p_viewer;
	IF NOT FOUND OR u.disabled THEN
		RETURN NULL;
	END IF;

	-- the access of every case concerned, once
	SELECT array_agg(DISTINCT x) INTO v_ids FROM (
	    SELECT tafel_obj_case(tafel_key_kind(k), e) x
	    FROM jsonb_each(p_obj) AS t(k, v)
	    CROSS JOIN LATERAL jsonb_array_elements(CASE
		WHEN jsonb_typeof(v) = 'array' THEN v
		WHEN jsonb_typeof(v) = 'object' THEN jsonb_build_array(v)
		ELSE '[]' END) e
	    WHERE tafel_key_kind(k) IS NOT NULL) s
	WHERE x IS NOT NULL;
	FOREACH v_cid IN ARRAY coalesce(v_ids, '{}') LOOP
		IF coalesce(p_pres_meeting, 0) > 0 THEN
			a := tafel_beamer_access(p_pres_meeting, u.id, v_cid);
		ELSE
			a := tafel_access(u.id, v_cid);
			IF coalesce(p_beamer_meeting, 0) > 0 THEN
				b := tafel_beamer_access(p_beamer_meeting, u.id, v_cid, a);
				a := a || jsonb_build_object(
				    'beamer_redacted', b ->> 'reason' <> '',
				    'beamer_reason', b -> 'beamer_reason');
			END IF;
		END IF;
		v_acc := v_acc || jsonb_build_object(v_cid::text, a);
	END LOOP;

	FOR v_key, v_val IN SELECT key, value FROM jsonb_each(p_obj) LOOP
		v_kind := tafel_key_kind(v_key);
		IF v_key IN ('meeting', 'attendance') THEN
			IF p_drop AND coalesce(p_pres_meeting, 0) = 0
			    AND NOT tafel_may_see_meeting(u, coalesce(
				(v_val ->> 'meeting_id')::bigint, (v_val ->> 'id')::bigint))
			THEN
				CONTINUE;
			END IF;
			v_out := v_out || jsonb_build_object(v_key, v_val);
		ELSIF v_kind IS NULL THEN
			v_out := v_out || jsonb_build_object(v_key, v_val);
		ELSIF jsonb_typeof(v_val) = 'object' THEN
			a := v_acc -> (tafel_obj_case(v_kind, v_val)::text);
			IF a IS NULL OR (p_drop AND NOT (a ->> 'connected')::boolean) THEN
				CONTINUE;
			END IF;
			v_out := v_out || jsonb_build_object(v_key,
			    tafel_redact_obj(v_kind, v_val, a));
			v_sent := v_sent || jsonb_build_object(
			    tafel_obj_case(v_kind, v_val)::text,
			    coalesce(v_sent -> (tafel_obj_case(v_kind, v_val)::text), '[]')
			    || to_jsonb(tafel_sent_categories(v_kind, v_val, a)));
		ELSIF jsonb_typeof(v_val) = 'array' THEN
			v_arr := '[]';
			FOR v_el IN SELECT e FROM jsonb_array_elements(v_val)
			    WITH ORDINALITY AS t(e, i) ORDER BY i LOOP
				a := v_acc -> (tafel_obj_case(v_kind, v_el)::text);
				IF a IS NULL OR (p_drop
				    AND NOT (a ->> 'connected')::boolean) THEN
					CONTINUE;
				END IF;
				v_arr := v_arr || jsonb_build_array(
				    tafel_redact_obj(v_kind, v_el, a));
				v_sent := v_sent || jsonb_build_object(
				    tafel_obj_case(v_kind, v_el)::text,
				    coalesce(v_sent -> (tafel_obj_case(v_kind, v_el)::text),
					'[]')
				    || to_jsonb(tafel_sent_categories(v_kind, v_el, a)));
			END LOOP;
			IF p_drop AND jsonb_array_length(v_arr) = 0
			    AND jsonb_array_length(v_val) > 0 THEN
				CONTINUE;
			END IF;
			v_out := v_out || jsonb_build_object(v_key, v_arr);
		ELSE
			v_out := v_out || jsonb_build_object(v_key, v_val);
		END IF;
	END LOOP;

	IF p_drop AND v_out = '{}'::jsonb AND p_obj <> '{}'::jsonb THEN
		RETURN NULL;
	END IF;

	-- the audit: one row per case that got any personal data
	IF p_context IS NOT NULL THEN
		FOR v_key, v_val IN SELECT key, value FROM jsonb_each(v_sent) LOOP
			v_cats := tafel_cats_sorted(ARRAY(
			    SELECT jsonb_array_elements_text(v_val)));
			CONTINUE WHEN cardinality(v_cats) = 0;
			IF coalesce(p_pres_meeting, 0) > 0 THEN
				FOR v_org IN SELECT DISTINCT x.org_id FROM (
				    SELECT a2.org_id FROM attendance a2
				    WHERE a2.meeting_id = p_pres_meeting AND a2.present
				    UNION SELECT cu.org_id FROM meetings m
					JOIN users cu ON cu.id = m.chair_id
					WHERE m.id = p_pres_meeting
				    UNION SELECT u.org_id) x LOOP
					INSERT INTO audit_log (user_id, org_id, case_id,
					    categories, meeting_id, context)
					VALUES (u.id, v_org, v_key::bigint, v_cats,
					    p_pres_meeting, 'beamer');
				END LOOP;
			ELSE
				INSERT INTO audit_log (user_id, org_id, case_id,
				    categories, meeting_id, context)
				VALUES (u.id, u.org_id, v_key::bigint, v_cats,
				    nullif(p_audit_meeting, 0), p_context);
			END IF;
		END LOOP;
	END IF;
	RETURN v_out;
END
$$;

-- ---------------------------------------------------------------------------
-- The skeleton of a change-log payload: no personal data at all (for
-- routing by the server, and what tafel_purge leaves of a case's changes).
-- p_case_id NULL: every object; else only the objects of that case.
-- ---------------------------------------------------------------------------

CREATE FUNCTION tafel_skeleton_obj(p_kind text, x jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT CASE p_kind
	    WHEN 'case' THEN x || jsonb_build_object('summary', '')
		|| CASE WHEN jsonb_typeof(x -> 'persons') = 'array'
		    THEN jsonb_build_object('persons', coalesce((SELECT jsonb_agg(
			p || '{"name": "", "birth_date": ""}'::jsonb ORDER BY i)
			FROM jsonb_array_elements(x -> 'persons')
			WITH ORDINALITY AS t(p, i)), '[]'::jsonb))
		    ELSE '{}'::jsonb END
	    WHEN 'person' THEN x || '{"name": "", "birth_date": ""}'::jsonb
	    WHEN 'item' THEN x || '{"decision": ""}'::jsonb
	    WHEN 'action' THEN x || '{"description": "", "completion_note": ""}'::jsonb
	    ELSE x END
$$;

CREATE FUNCTION tafel_skeleton(p_payload jsonb, p_case_id bigint DEFAULT NULL)
RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT coalesce(jsonb_object_agg(k, CASE
	    WHEN tafel_key_kind(k) IS NULL THEN v
	    WHEN jsonb_typeof(v) = 'object' THEN CASE
		WHEN p_case_id IS NULL
		    OR tafel_obj_case(tafel_key_kind(k), v) = p_case_id
		THEN tafel_skeleton_obj(tafel_key_kind(k), v) ELSE v END
	    WHEN jsonb_typeof(v) = 'array' THEN coalesce((SELECT jsonb_agg(CASE
		WHEN p_case_id IS NULL
		    OR tafel_obj_case(tafel_key_kind(k), e) = p_case_id
		THEN tafel_skeleton_obj(tafel_key_kind(k), e) ELSE e END
		ORDER BY i) FROM jsonb_array_elements(v) WITH ORDINALITY AS t(e, i)),
		'[]'::jsonb)
	    ELSE v END), '{}'::jsonb)
	FROM jsonb_each(p_payload) AS t(k, v)
$$;

-- ---------------------------------------------------------------------------
-- Builders: Case gains hidden_categories, beamer_redacted, beamer_reason
-- (unredacted defaults; tafel_render fills them per viewer)
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION tafel_json_case(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', c.id,
	    'number', c.number,
	    'theme', c.theme,
	    'approach', c.approach,
	    'district', c.district,
	    'submitter_org_id', c.submitter_org_id,
	    'submitter_user_id', coalesce(c.submitter_user_id, 0),
	    'case_manager_id', coalesce(c.case_manager_id, 0),
	    'status', c.status,
	    'summary', c.summary,
	    'persons', coalesce((SELECT jsonb_agg(tafel_json_person(p.id) ORDER BY p.id)
		FROM persons p WHERE p.case_id = c.id), '[]'::jsonb),
	    'version', c.version,
	    'redacted', false,
	    'redaction_reason', '',
	    'submitter_org_name', so.name,
	    'case_manager_name', coalesce(cm.display_name, ''),
	    'hidden_categories', '[]'::jsonb,
	    'beamer_redacted', false,
	    'beamer_reason', '')
	FROM cases c
	JOIN organisations so ON so.id = c.submitter_org_id
	LEFT JOIN users cm ON cm.id = c.case_manager_id
	WHERE c.id = p_id
$$;

-- ---------------------------------------------------------------------------
-- Write path changes
-- ---------------------------------------------------------------------------

-- A guessed action point id the user may not manage is NOT_FOUND, not
-- FORBIDDEN: do not confirm that it exists.
CREATE OR REPLACE FUNCTION tafel_action_for_change(u users, p_args jsonb)
RETURNS action_points LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	a action_points;
BEGIN
	SELECT * INTO a FROM action_points
	WHERE id = tafel_arg_id(p_args, 'id') FOR UPDATE;
	IF NOT FOUND OR NOT tafel_may_manage_action(u, a) THEN
		PERFORM tafel_raise('TF016', 'action point not found', 'id');
	END IF;
	IF tafel_arg_id(p_args, 'version') <> a.version THEN
		PERFORM tafel_conflict('current_action_point',
		    tafel_json_action(a.id));
	END IF;
	IF a.state <> 'open' THEN
		PERFORM tafel_raise('TF018', format(
		    'the action point is %s, not open', a.state));
	END IF;
	RETURN a;
END
$$;

-- Likewise for a case the user may neither change nor know of.
CREATE OR REPLACE FUNCTION tafel_case_for_change(u users, p_args jsonb,
    p_move boolean)
RETURNS cases LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	c cases;
	v_allowed boolean;
BEGIN
	SELECT * INTO c FROM cases WHERE id = tafel_arg_id(p_args, 'id') FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'case not found', 'id');
	END IF;
	v_allowed := CASE WHEN p_move THEN u.roles && ARRAY['admin', 'chair']
	    OR u.id IS NOT DISTINCT FROM c.case_manager_id
	    ELSE tafel_may_edit_case(u, c) END;
	IF NOT v_allowed AND NOT (tafel_access(u.id, c.id) ->> 'connected')::boolean
	THEN
		PERFORM tafel_raise('TF016', 'case not found', 'id');
	END IF;
	IF NOT v_allowed AND p_move THEN
		PERFORM tafel_raise('TF010', 'only a chair (process manager), '
		    || 'the case manager or an administrator can route a case');
	ELSIF NOT v_allowed THEN
		PERFORM tafel_raise('TF010', 'only the submitting organisation, the '
		    || 'case manager, a chair or an administrator can change a case');
	END IF;
	IF tafel_arg_id(p_args, 'version') <> c.version THEN
		PERFORM tafel_conflict('current_case', tafel_json_case(c.id));
	END IF;
	RETURN c;
END
$$;

-- Maps a write's response (or a CONFLICT's current record) onto an
-- Event-shaped object, renders it for the user, and maps it back.
CREATE FUNCTION tafel_render_record(p_user_id bigint, p_kind text,
    p_obj jsonb, p_context text)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	r jsonb;
BEGIN
	IF p_obj IS NULL OR jsonb_typeof(p_obj) <> 'object' THEN
		RETURN p_obj;
	END IF;
	CASE p_kind
	WHEN 'case' THEN
		RETURN tafel_render(p_user_id, 0, 0, jsonb_build_object('case', p_obj),
		    p_context, 0, false) -> 'case';
	WHEN 'person' THEN
		RETURN tafel_render(p_user_id, 0, 0, jsonb_build_object('person',
		    p_obj), p_context, 0, false) -> 'person';
	WHEN 'action' THEN
		RETURN tafel_render(p_user_id, 0, 0, jsonb_build_object(
		    'action_point', p_obj), p_context,
		    coalesce((p_obj ->> 'meeting_id')::bigint, 0), false)
		    -> 'action_point';
	WHEN 'item' THEN
		RETURN tafel_render(p_user_id, 0, 0, jsonb_build_object(
		    'agenda_items', jsonb_build_array(p_obj)), p_context,
		    coalesce((p_obj ->> 'meeting_id')::bigint, 0), false)
		    -> 'agenda_items' -> 0;
	WHEN 'agenda' THEN
		r := tafel_render(p_user_id, 0, 0, jsonb_build_object('agenda_items',
		    coalesce(p_obj -> 'items', '[]')), p_context,
		    coalesce((p_obj ->> 'meeting_id')::bigint, 0), false);
		RETURN p_obj || jsonb_build_object('items', r -> 'agenda_items');
	ELSE
		RETURN p_obj;
	END CASE;
END
$$;

CREATE FUNCTION tafel_op_kind(p_op text)
RETURNS text LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT CASE
	    WHEN p_op IN ('create_case', 'update_case', 'move_case') THEN 'case'
	    WHEN p_op IN ('add_person', 'update_person') THEN 'person'
	    WHEN p_op IN ('create_action', 'update_action', 'complete_action',
		'cancel_action') THEN 'action'
	    WHEN p_op = 'record_decision' THEN 'item'
	    WHEN p_op IN ('add_agenda_item', 'remove_agenda_item',
		'reorder_agenda') THEN 'agenda'
	    ELSE 'other' END
$$;

-- A CONFLICT's DETAIL {"current_<record>": {...}} redacted for the user.
CREATE FUNCTION tafel_render_conflict(p_user_id bigint, p_detail jsonb,
    p_context text)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	k text;
	v jsonb;
BEGIN
	IF p_detail IS NULL OR jsonb_typeof(p_detail) <> 'object' THEN
		RETURN p_detail;
	END IF;
	SELECT key, value INTO k, v FROM jsonb_each(p_detail) LIMIT 1;
	RETURN jsonb_build_object(k, tafel_render_record(p_user_id, CASE k
	    WHEN 'current_case' THEN 'case' WHEN 'current_person' THEN 'person'
	    WHEN 'current_action_point' THEN 'action'
	    WHEN 'current_agenda_item' THEN 'item' ELSE 'other' END, v,
	    p_context));
END
$$;

-- An update request carries the whole record: fields the user cannot see
-- (they got "" or initials) are kept as they are, not overwritten.
CREATE FUNCTION tafel_keep_hidden(u users, p_op text, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	a jsonb;
	c cases;
	p persons;
	ap action_points;
	v_p jsonb;
BEGIN
	IF p_op = 'update_case' THEN
		SELECT * INTO c FROM cases WHERE id = tafel_arg_id(p_args, 'id');
		IF FOUND THEN
			a := tafel_access(u.id, c.id);
			IF NOT a -> 'cats' ? 'case_summary' THEN
				RETURN p_args || jsonb_build_object('summary', c.summary);
			END IF;
		END IF;
	ELSIF p_op = 'update_person'
	    AND jsonb_typeof(p_args -> 'person') = 'object' THEN
		v_p := p_args -> 'person';
		SELECT * INTO p FROM persons
		WHERE id = tafel_arg_id(v_p, 'id', 'person.id');
		IF FOUND THEN
			a := tafel_access(u.id, p.case_id);
			IF NOT a -> 'cats' ? 'person_names' THEN
				v_p := v_p || jsonb_build_object('name', p.name);
			END IF;
			IF NOT a -> 'cats' ? 'birth_dates' THEN
				v_p := v_p || jsonb_build_object('birth_date',
				    tafel_datestr(p.birth_date));
			END IF;
			RETURN p_args || jsonb_build_object('person', v_p);
		END IF;
	ELSIF p_op = 'update_action' THEN
		SELECT * INTO ap FROM action_points WHERE id = tafel_arg_id(p_args, 'id');
		IF FOUND THEN
			a := tafel_access(u.id, ap.case_id);
			IF NOT tafel_action_visible(jsonb_build_object('owner_org_id',
			    ap.owner_org_id), a) THEN
				RETURN p_args || jsonb_build_object('description',
				    ap.description);
			END IF;
		END IF;
	END IF;
	RETURN p_args;
END
$$;

CREATE OR REPLACE FUNCTION tafel_write(p_user_id bigint, p_key text, p_op text,
    p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	u users;
	v_args jsonb := coalesce(p_args, '{}');
	v_hash text;
	v_row idempotency;
	v_n int;
	v_resp jsonb;
	v_msg text;
	v_hint text;
	v_detail text;
BEGIN
	u := tafel_actor(p_user_id);
	IF NOT u.roles && ARRAY['admin', 'chair', 'member'] THEN
		PERFORM tafel_raise('TF010', 'observers cannot change the register');
	END IF;
	IF p_key IS NULL OR p_key = '' THEN
		PERFORM tafel_raise('TF019', 'an idempotency key is required');
	END IF;
	IF length(p_key) > 64 OR p_key !~ '^[\x21-\x7e]+$' THEN
		PERFORM tafel_raise('TF011', 'the idempotency key must be 1..64 '
		    || 'printable ASCII characters', 'idempotency_key');
	END IF;
	IF p_op IS NULL OR NOT p_op = ANY (tafel_write_ops()) THEN
		PERFORM tafel_raise('TF011', format('unknown operation %L', p_op));
	END IF;
	IF jsonb_typeof(v_args) <> 'object' THEN
		PERFORM tafel_raise('TF011', 'the arguments must be a JSON object');
	END IF;

	v_hash := md5(v_args::text);
	INSERT INTO idempotency (user_id, key, op, args_hash)
	VALUES (u.id, p_key, p_op, v_hash)
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n = 0 THEN
		SELECT * INTO v_row FROM idempotency
		WHERE user_id = u.id AND key = p_key;
		IF v_row.op = p_op AND v_row.args_hash = v_hash
		    AND v_row.response IS NOT NULL THEN
			-- stored unredacted; rendered for the user as now
			RETURN tafel_render_record(u.id, tafel_op_kind(p_op),
			    v_row.response, 'write');
		END IF;
		IF v_row.op = p_op AND v_row.args_hash = v_hash THEN
			PERFORM tafel_raise('TF022', 'write with this idempotency '
			    || 'key is still in progress');
		END IF;
		PERFORM tafel_raise('TF020', 'idempotency key already used for a '
		    || 'different request');
	END IF;

	v_args := tafel_keep_hidden(u, p_op, v_args);
	BEGIN
		v_resp := CASE p_op
		    WHEN 'create_meeting' THEN tafel_op_create_meeting(u.id, v_args)
		    WHEN 'open_meeting' THEN tafel_op_open_meeting(u.id, v_args)
		    WHEN 'close_meeting' THEN tafel_op_close_meeting(u.id, v_args)
		    WHEN 'record_attendance' THEN
			tafel_op_record_attendance(u.id, v_args)
		    WHEN 'add_agenda_item' THEN tafel_op_add_agenda_item(u.id, v_args)
		    WHEN 'remove_agenda_item' THEN
			tafel_op_remove_agenda_item(u.id, v_args)
		    WHEN 'reorder_agenda' THEN tafel_op_reorder_agenda(u.id, v_args)
		    WHEN 'set_current_item' THEN
			tafel_op_set_current_item(u.id, v_args)
		    WHEN 'record_decision' THEN tafel_op_record_decision(u.id, v_args)
		    WHEN 'create_action' THEN tafel_op_create_action(u.id, v_args)
		    WHEN 'update_action' THEN tafel_op_update_action(u.id, v_args)
		    WHEN 'complete_action' THEN tafel_op_complete_action(u.id, v_args)
		    WHEN 'cancel_action' THEN tafel_op_cancel_action(u.id, v_args)
		    WHEN 'create_case' THEN tafel_op_create_case(u.id, v_args)
		    WHEN 'update_case' THEN tafel_op_update_case(u.id, v_args)
		    WHEN 'add_person' THEN tafel_op_add_person(u.id, v_args)
		    WHEN 'update_person' THEN tafel_op_update_person(u.id, v_args)
		    WHEN 'move_case' THEN tafel_op_move_case(u.id, v_args)
		END;
	EXCEPTION WHEN SQLSTATE 'TF017' THEN
		-- the current record, as far as this user may see it
		GET STACKED DIAGNOSTICS v_msg = MESSAGE_TEXT,
		    v_hint = PG_EXCEPTION_HINT, v_detail = PG_EXCEPTION_DETAIL;
		RAISE EXCEPTION USING ERRCODE = 'TF017', MESSAGE = v_msg,
		    HINT = v_hint, DETAIL = coalesce(tafel_render_conflict(u.id,
			nullif(v_detail, '')::jsonb, NULL)::text, '');
	END;

	UPDATE idempotency SET response = v_resp
	WHERE user_id = u.id AND key = p_key;
	RETURN tafel_render_record(u.id, tafel_op_kind(p_op), v_resp, 'write');
END
$$;

-- The server calls this after sending a CONFLICT error whose DETAIL held a
-- record (the error rolled back the write's transaction, and with it any
-- audit row written there).  Writes the 'conflict' audit row.
CREATE FUNCTION tafel_audit_conflict(p_user_id bigint, p_detail text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	IF coalesce(p_detail, '') = '' THEN
		RETURN;
	END IF;
	PERFORM tafel_render_conflict(u.id, p_detail::jsonb, 'conflict');
END
$$;

-- ---------------------------------------------------------------------------
-- Reads (all SECURITY DEFINER: they set tafel.user_id, check access
-- themselves and render per user)
-- ---------------------------------------------------------------------------

-- The 4 first columns as before; locked: the account is locked now (the
-- server refuses the login without checking the password).
DROP FUNCTION tafel_login_lookup(text);
CREATE FUNCTION tafel_login_lookup(p_login text)
RETURNS TABLE (user_id bigint, password_hash text, disabled boolean,
    response jsonb, locked boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT u.id, coalesce(u.password_hash, ''), u.disabled,
	    jsonb_build_object('user', tafel_json_user(u.id),
		'organisation', tafel_json_org(u.org_id), 'idle_timeout_s', 0),
	    coalesce(u.locked_until > now(), false)
	FROM users u WHERE u.login = p_login
$$;

-- After checking a password: ok resets the count; a failure counts, and
-- the p_max_failures-th consecutive one locks the account for
-- p_lock_seconds.  Returns true when the account is (now) locked.
CREATE FUNCTION tafel_login_result(p_user_id bigint, p_ok boolean,
    p_max_failures int, p_lock_seconds int)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	u users;
BEGIN
	SELECT * INTO u FROM users WHERE id = p_user_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	IF u.locked_until > now() THEN
		RETURN true;
	END IF;
	IF p_ok THEN
		UPDATE users SET failed_logins = 0, locked_until = NULL
		WHERE id = u.id AND (failed_logins <> 0 OR locked_until IS NOT NULL);
		RETURN false;
	END IF;
	IF coalesce(p_max_failures, 0) > 0
	    AND u.failed_logins + 1 >= p_max_failures THEN
		UPDATE users SET failed_logins = 0, locked_until = now()
		    + make_interval(secs => greatest(coalesce(p_lock_seconds, 0), 1))
		WHERE id = u.id;
		RETURN true;
	END IF;
	UPDATE users SET failed_logins = failed_logins + 1, locked_until = NULL
	WHERE id = u.id;
	RETURN false;
END
$$;

-- Owner: lift a lockout.  false when the login does not exist.
CREATE FUNCTION tafel_unlock(p_login text)
RETURNS boolean LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	UPDATE users SET failed_logins = 0, locked_until = NULL
	WHERE login = p_login;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'user not found', 'login');
	END IF;
	RETURN true;
END
$$;

-- The lists of series, meetings and organisations carry no personal data:
-- 0003's functions stay as they are (tafel_actor sets tafel.user_id); they
-- only become definer entry points.
ALTER FUNCTION tafel_list_series(bigint) SECURITY DEFINER;
ALTER FUNCTION tafel_list_meetings(bigint, bigint, bigint, bigint)
	SECURITY DEFINER;
ALTER FUNCTION tafel_list_orgs(bigint) SECURITY DEFINER;

-- SubscribeResponse with a meeting snapshot, rendered for the user, or
-- with p_presentation for the meeting's shared screen (chair or admin
-- only).  seq and the raw snapshot are read by one statement.
CREATE FUNCTION tafel_snapshot(p_user_id bigint, p_meeting_id bigint,
    p_presentation boolean)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	u users;
	m meetings;
	v jsonb;
	r jsonb;
	v_pres boolean := coalesce(p_presentation, false);
BEGIN
	u := tafel_actor(p_user_id);
	SELECT jsonb_build_object(
	    'seq', (SELECT coalesce(max(cl.seq), 0) FROM changelog cl),
	    'raw', jsonb_build_object(
		'meeting', tafel_json_meeting(mm.id),
		'agenda_items', tafel_json_items(mm.id),
		'cases', coalesce((SELECT jsonb_agg(tafel_json_case(a.case_id)
		    ORDER BY a.position, a.id)
		    FROM agenda_items a WHERE a.meeting_id = mm.id), '[]'::jsonb),
		'actions', coalesce((SELECT jsonb_agg(tafel_json_action(ap.id)
		    ORDER BY (ap.state = 'open' AND ap.due_date < current_date)
			DESC, ap.due_date, ap.id)
		    FROM action_points ap
		    WHERE ap.case_id IN (SELECT a.case_id FROM agenda_items a
			WHERE a.meeting_id = mm.id)), '[]'::jsonb)),
	    'organisations', coalesce((SELECT jsonb_agg(tafel_json_org(o.id)
		ORDER BY o.name) FROM organisations o), '[]'::jsonb))
	INTO v
	FROM meetings mm WHERE mm.id = p_meeting_id;
	IF v IS NULL THEN
		PERFORM tafel_raise('TF016', 'meeting not found', 'meeting_id');
	END IF;
	SELECT * INTO m FROM meetings WHERE id = p_meeting_id;
	IF NOT tafel_may_see_meeting(u, m.id) THEN
		PERFORM tafel_raise('TF010', 'your organisation takes no part in '
		    || 'this meeting', 'meeting_id');
	END IF;
	IF v_pres AND NOT tafel_may_chair(u, m) THEN
		PERFORM tafel_raise('TF010', 'only the chair of the meeting or an '
		    || 'administrator can show the shared screen', 'presentation');
	END IF;
	r := tafel_render(u.id, CASE WHEN v_pres THEN m.id ELSE 0 END,
	    CASE WHEN NOT v_pres AND tafel_may_chair(u, m) THEN m.id ELSE 0 END,
	    v -> 'raw', CASE WHEN v_pres THEN 'beamer' ELSE 'snapshot' END,
	    m.id, false);
	RETURN jsonb_build_object(
	    'seq', v -> 'seq',
	    'resumed', false,
	    'snapshot', jsonb_build_object(
		'meeting', r -> 'meeting',
		'agenda', r -> 'agenda_items',
		'cases', r -> 'cases',
		'actions', r -> 'actions',
		'organisations', v -> 'organisations'));
END
$$;

CREATE OR REPLACE FUNCTION tafel_snapshot(p_user_id bigint, p_meeting_id bigint)
RETURNS jsonb LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
	SELECT tafel_snapshot(p_user_id, p_meeting_id, false)
$$;

CREATE OR REPLACE FUNCTION tafel_org_actions(p_user_id bigint,
    p_include_finished boolean)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users;
	v jsonb;
BEGIN
	u := tafel_actor(p_user_id);
	SELECT jsonb_build_object(
	    'seq', (SELECT coalesce(max(cl.seq), 0) FROM changelog cl),
	    'actions', tafel_json_org_actions(u.org_id, NULL,
		coalesce(p_include_finished, false)))
	INTO v;
	RETURN jsonb_build_object(
	    'seq', v -> 'seq',
	    'resumed', false,
	    'actions', jsonb_build_object('actions', tafel_render(u.id, 0, 0,
		jsonb_build_object('actions', v -> 'actions'), 'action_list', 0,
		false) -> 'actions'));
END
$$;

CREATE OR REPLACE FUNCTION tafel_my_actions(p_user_id bigint,
    p_include_finished boolean)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users;
BEGIN
	u := tafel_actor(p_user_id);
	RETURN jsonb_build_object('actions', tafel_render(u.id, 0, 0,
	    jsonb_build_object('actions', tafel_json_org_actions(u.org_id, u.id,
		coalesce(p_include_finished, false))), 'action_list', 0, false)
	    -> 'actions');
END
$$;

-- CaseDetail.  NOT_FOUND for a case the user has no connection to (not
-- involved, not on the agenda of a meeting they may see).
CREATE OR REPLACE FUNCTION tafel_get_case(p_user_id bigint, p_case_id bigint)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users;
	v_case jsonb;
	r jsonb;
BEGIN
	u := tafel_actor(p_user_id);
	v_case := tafel_json_case(p_case_id);
	IF v_case IS NULL
	    OR NOT (tafel_access(u.id, p_case_id) ->> 'connected')::boolean THEN
		PERFORM tafel_raise('TF016', 'case not found', 'case_id');
	END IF;
	r := tafel_render(u.id, 0, 0, jsonb_build_object(
	    'case', v_case,
	    'actions', tafel_json_case_actions(p_case_id, false),
	    'history', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'case_id', p_case_id,
		'meeting_id', m.id,
		'scheduled_start', tafel_unix(m.scheduled_start),
		'series_name', s.name,
		'decision', a.decision) ORDER BY m.scheduled_start, m.id)
		FROM agenda_items a
		JOIN meetings m ON m.id = a.meeting_id
		JOIN series s ON s.id = m.series_id
		WHERE a.case_id = p_case_id), '[]'::jsonb)),
	    'case_view', 0, false);
	RETURN jsonb_build_object(
	    'case', r -> 'case',
	    'actions', r -> 'actions',
	    'history', coalesce((SELECT jsonb_agg(h - 'case_id' ORDER BY i)
		FROM jsonb_array_elements(r -> 'history') WITH ORDINALITY AS t(h, i)),
		'[]'::jsonb));
END
$$;

-- CaseList: newest first; only the cases the user has a connection to.
CREATE OR REPLACE FUNCTION tafel_list_cases(p_user_id bigint,
    p_include_closed boolean)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users;
BEGIN
	u := tafel_actor(p_user_id);
	RETURN jsonb_build_object('cases', tafel_render(u.id, 0, 0,
	    jsonb_build_object('cases', coalesce((
		SELECT jsonb_agg(tafel_json_case(c.id) ORDER BY c.id DESC)
		FROM cases c
		WHERE (coalesce(p_include_closed, false) OR c.status <> 'closed')
		    AND (tafel_access(u.id, c.id) ->> 'connected')::boolean),
		'[]'::jsonb)), 'case_list', 0, false) -> 'cases');
END
$$;

-- The change log after a sequence number, for the server's routing only:
-- the payload is the skeleton (no personal data).  The events the
-- sessions get come from tafel_events_for / tafel_events_for_viewer.
CREATE OR REPLACE FUNCTION tafel_changes_since(p_after_seq bigint,
    p_max_rows int)
RETURNS TABLE (seq bigint, at bigint, actor_id bigint, actor_name text,
    meeting_id bigint, case_id bigint, org_ids bigint[], payload jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT c.seq, tafel_unix(c.at), coalesce(c.actor_id, 0),
	    coalesce(u.display_name, ''), coalesce(c.meeting_id, 0),
	    coalesce(c.case_id, 0), c.org_ids, tafel_skeleton(c.payload)
	FROM changelog c LEFT JOIN users u ON u.id = c.actor_id
	WHERE c.seq > p_after_seq
	ORDER BY c.seq
	LIMIT p_max_rows
$$;

-- The payload of a change as the sessions get it: when an item became
-- current, the case (and its open actions) as it is now, so that the
-- organisations present, who may now see it in full, get it.
CREATE FUNCTION tafel_event_payload(c changelog)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
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
			RETURN c.payload || jsonb_build_object(
			    'case', tafel_json_case(v_case),
			    'actions', tafel_json_case_actions(v_case, true));
		END IF;
	END IF;
	RETURN c.payload;
END
$$;

-- One change for one viewer (NULL: the viewer may not see it).
CREATE FUNCTION tafel_event_render(c changelog, p_payload jsonb,
    p_user_id bigint, p_pres_meeting bigint, p_meeting_ctx bigint)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users;
	m meetings;
	v_bm bigint := 0;
	v_ctx bigint;
BEGIN
	SELECT * INTO u FROM users WHERE id = p_user_id;
	IF NOT FOUND OR u.disabled THEN
		RETURN NULL;
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

-- One change rendered for each viewer of p_viewers, a JSON array of
-- {"user_id": N, "presentation_meeting": M, "meeting_id": K}
-- (M: 0, or the meeting whose shared screen this is; K, optional: the
-- meeting the session is subscribed to, for the chair's beamer_* fields).
-- idx is the 0-based index in the array; event is NULL when that viewer
-- may not see the change.  Writes the audit rows.
CREATE FUNCTION tafel_events_for(p_seq bigint, p_viewers jsonb)
RETURNS TABLE (idx int, event jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	c changelog;
	v_payload jsonb;
	v jsonb;
	i bigint;
BEGIN
	SELECT * INTO c FROM changelog cl WHERE cl.seq = p_seq;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	v_payload := tafel_event_payload(c);
	FOR v, i IN SELECT e, n FROM jsonb_array_elements(CASE WHEN
	    jsonb_typeof(p_viewers) = 'array' THEN p_viewers ELSE '[]' END)
	    WITH ORDINALITY AS t(e, n) ORDER BY n LOOP
		idx := i - 1;
		event := tafel_event_render(c, v_payload,
		    tafel_arg_id(v, 'user_id'), tafel_arg_id(v, 'presentation_meeting'),
		    tafel_arg_id(v, 'meeting_id'));
		RETURN NEXT;
	END LOOP;
END
$$;

-- The same for one viewer over several changes (resume), in seq order.
-- Every existing seq of p_seqs gives a row; event NULL when not visible.
CREATE FUNCTION tafel_events_for_viewer(p_user bigint,
    p_presentation_meeting bigint, p_seqs bigint[])
RETURNS TABLE (seq bigint, event jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	c changelog;
BEGIN
	PERFORM tafel_set_user(p_user);
	FOR c IN SELECT * FROM changelog cl
	    WHERE cl.seq = ANY (coalesce(p_seqs, '{}')) ORDER BY cl.seq LOOP
		seq := c.seq;
		event := tafel_event_render(c, tafel_event_payload(c), p_user,
		    coalesce(p_presentation_meeting, 0), 0);
		RETURN NEXT;
	END LOOP;
END
$$;

-- ---------------------------------------------------------------------------
-- The privacy officer's queries (owner only)
-- ---------------------------------------------------------------------------

CREATE FUNCTION tafel_audit_meeting_label(p_meeting_id bigint)
RETURNS text LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT s.name || ' ' || to_char(m.scheduled_start
	    AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI')
	FROM meetings m JOIN series s ON s.id = m.series_id
	WHERE m.id = p_meeting_id
$$;

-- Who saw case X.
CREATE FUNCTION tafel_audit_case(p_case_number text)
RETURNS TABLE (at timestamptz, login text, organisation text,
    categories text[], meeting text, context text)
LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT l.at, u.login, o.name, l.categories,
	    tafel_audit_meeting_label(l.meeting_id), l.context
	FROM audit_log l
	JOIN cases c ON c.id = l.case_id
	JOIN users u ON u.id = l.user_id
	JOIN organisations o ON o.id = l.org_id
	WHERE c.number = p_case_number
	ORDER BY l.at, l.id
$$;

-- What user Y saw between p_from and p_to.
CREATE FUNCTION tafel_audit_user(p_login text, p_from timestamptz,
    p_to timestamptz)
RETURNS TABLE (at timestamptz, case_number text, organisation text,
    categories text[], meeting text, context text)
LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT l.at, c.number, o.name, l.categories,
	    tafel_audit_meeting_label(l.meeting_id), l.context
	FROM audit_log l
	JOIN users u ON u.id = l.user_id
	JOIN cases c ON c.id = l.case_id
	JOIN organisations o ON o.id = l.org_id
	WHERE u.login = p_login
	    AND l.at >= coalesce(p_from, '-infinity')
	    AND l.at <= coalesce(p_to, 'infinity')
	ORDER BY l.at, l.id
$$;

-- ---------------------------------------------------------------------------
-- Retention (owner only)
-- ---------------------------------------------------------------------------

CREATE FUNCTION tafel_set_legal_hold(p_case_number text, p_on boolean)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	UPDATE cases SET legal_hold = coalesce(p_on, false), updated_at = now()
	WHERE number = p_case_number;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'case not found', 'case_number');
	END IF;
END
$$;

-- Anonymises closed cases whose closed_at lies more than p_older_than in
-- the past, not under legal hold, not yet anonymised.  Cases that qualify
-- but are under legal hold are listed with action 'skipped_legal_hold'.
-- The audit log is kept (it holds no personal data).
CREATE FUNCTION tafel_purge(p_older_than interval, p_dry_run boolean)
RETURNS TABLE (case_number text, closed_at timestamptz, action text)
LANGUAGE plpgsql SET search_path = public AS $$
#variable_conflict use_column
DECLARE
	c cases;
	v_persons int;
	v_decisions int;
	v_actions int;
	v_changes int;
	v_idem int;
	v_match jsonb;
BEGIN
	IF p_older_than IS NULL OR p_older_than < interval '0' THEN
		PERFORM tafel_raise('TF011', 'the retention period must be positive',
		    'older_than');
	END IF;
	PERFORM set_config('tafel.purge', 'on', true);
	FOR c IN SELECT * FROM cases x
	    WHERE x.status = 'closed' AND x.closed_at < now() - p_older_than
		AND x.anonymised_at IS NULL
	    ORDER BY x.closed_at, x.id FOR UPDATE LOOP
		case_number := c.number;
		closed_at := c.closed_at;
		IF c.legal_hold THEN
			action := 'skipped_legal_hold';
			RETURN NEXT;
			CONTINUE;
		END IF;
		IF coalesce(p_dry_run, true) THEN
			action := 'would_anonymise';
			RETURN NEXT;
			CONTINUE;
		END IF;
		v_match := jsonb_build_object('c', c.id);

		UPDATE persons SET name = 'geanonimiseerd', birth_date = NULL,
		    version = version + 1, updated_at = now(), updated_by = NULL
		WHERE persons.case_id = c.id;
		GET DIAGNOSTICS v_persons = ROW_COUNT;
		UPDATE agenda_items SET decision = '', version = version + 1,
		    updated_at = now()
		WHERE agenda_items.case_id = c.id AND decision <> '';
		GET DIAGNOSTICS v_decisions = ROW_COUNT;
		UPDATE action_points SET description = '', completion_note = '',
		    version = version + 1, updated_at = now()
		WHERE action_points.case_id = c.id;
		GET DIAGNOSTICS v_actions = ROW_COUNT;
		UPDATE changelog cl SET payload = tafel_skeleton(cl.payload, c.id)
		WHERE (cl.case_id = c.id OR jsonb_path_exists(cl.payload,
		    '$.** ? (@.case_id == $c)', v_match)
		    OR (cl.payload -> 'case' ->> 'id')::bigint = c.id)
		    AND cl.payload IS DISTINCT FROM tafel_skeleton(cl.payload, c.id);
		GET DIAGNOSTICS v_changes = ROW_COUNT;
		DELETE FROM idempotency i
		WHERE i.response IS NOT NULL AND (jsonb_path_exists(i.response,
		    '$.** ? (@.case_id == $c)', v_match)
		    OR (i.response ? 'persons' AND (i.response ->> 'id')::bigint = c.id));
		GET DIAGNOSTICS v_idem = ROW_COUNT;
		UPDATE cases SET summary = '', anonymised_at = now(),
		    version = version + 1, updated_at = now()
		WHERE id = c.id;

		INSERT INTO purge_log (case_id, case_number, closed_at, reason, removed)
		VALUES (c.id, c.number, c.closed_at,
		    format('closed more than %s ago', p_older_than),
		    jsonb_build_object('persons', v_persons, 'summary',
			(c.summary <> '')::int, 'decisions', v_decisions,
			'action_points', v_actions, 'changelog', v_changes,
			'idempotency', v_idem));
		action := 'anonymised';
		RETURN NEXT;
	END LOOP;
	PERFORM set_config('tafel.purge', '', true);
END
$$;

-- ---------------------------------------------------------------------------
-- Demo: the GP practice (non-signatory) and the housing corporation attend
-- today's first meeting (WZT), so the rules show.  The 0004 function is
-- kept under another name and called first.
-- ---------------------------------------------------------------------------

ALTER FUNCTION tafel_demo_data(text) RENAME TO tafel_demo_data_0004;

CREATE FUNCTION tafel_demo_data(p_password_hash text)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
	v_wzt bigint;
BEGIN
	IF EXISTS (SELECT 1 FROM organisations
	    WHERE name = 'Politie Eenheid Oost-Nederland') THEN
		RETURN;
	END IF;
	PERFORM tafel_demo_data_0004(p_password_hash);
	SELECT m.id INTO v_wzt FROM meetings m JOIN series s ON s.id = m.series_id
	WHERE s.name = 'WZT Enschede-Noord' AND m.state = 'planned'
	    AND m.scheduled_start = (v_today + time '09:30')
		AT TIME ZONE 'Europe/Amsterdam';
	INSERT INTO attendance (meeting_id, user_id, org_id, present, remote,
	    updated_by)
	SELECT v_wzt, u.id, u.org_id, true, u.login = 'huisarts', m.chair_id
	FROM users u, meetings m
	WHERE m.id = v_wzt
	    AND u.login IN ('voorzitter', 'huisarts', 'woningcorporatie');
END
$$;

-- ---------------------------------------------------------------------------
-- The server's role and its privileges
-- ---------------------------------------------------------------------------

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tafel_app') THEN
		CREATE ROLE tafel_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE
		    NOBYPASSRLS;
	END IF;
END
$$;

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, tafel_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, tafel_app;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC, tafel_app;
-- functions the owner creates later are not executable by everyone either
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS
	FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO tafel_app;

-- Routing needs the meetings of a case whatever tafel.user_id says (only
-- ids come out).
ALTER FUNCTION tafel_case_meetings(bigint) SECURITY DEFINER;

-- The newest change-log sequence number (the server starts following the
-- log there; no payload comes out).
CREATE FUNCTION tafel_last_seq()
RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT coalesce(max(seq), 0) FROM changelog
$$;

-- The entry functions the server calls.
GRANT EXECUTE ON FUNCTION
	tafel_last_seq(),
	tafel_write(bigint, text, text, jsonb),
	tafel_login_lookup(text),
	tafel_login_result(bigint, boolean, int, int),
	tafel_list_series(bigint),
	tafel_list_meetings(bigint, bigint, bigint, bigint),
	tafel_list_orgs(bigint),
	tafel_snapshot(bigint, bigint),
	tafel_snapshot(bigint, bigint, boolean),
	tafel_org_actions(bigint, boolean),
	tafel_my_actions(bigint, boolean),
	tafel_get_case(bigint, bigint),
	tafel_list_cases(bigint, boolean),
	tafel_changes_since(bigint, int),
	tafel_case_meetings(bigint),
	tafel_events_for(bigint, jsonb),
	tafel_events_for_viewer(bigint, bigint, bigint[]),
	tafel_audit_conflict(bigint, text)
	TO tafel_app;

-- Row-level security: helpers of the policies (SECURITY DEFINER, for the
-- user in tafel.user_id; nothing without it).
CREATE FUNCTION tafel_rls_org()
RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT coalesce((SELECT u.org_id FROM users u
	    WHERE u.id = tafel_rls_user() AND NOT u.disabled), 0)
$$;

CREATE FUNCTION tafel_rls_case_cats(p_case_id bigint)
RETURNS text[] LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT CASE WHEN tafel_rls_user() = 0 THEN '{}'::text[]
	    ELSE ARRAY(SELECT jsonb_array_elements_text(
		tafel_access(tafel_rls_user(), p_case_id) -> 'cats')) END
$$;

CREATE FUNCTION tafel_rls_case_connected(p_case_id bigint)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT tafel_rls_user() <> 0 AND coalesce((tafel_access(tafel_rls_user(),
	    p_case_id) ->> 'connected')::boolean, false)
$$;

CREATE FUNCTION tafel_rls_meeting_visible(p_meeting_id bigint)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT coalesce((SELECT tafel_may_see_meeting(u, p_meeting_id)
	    FROM users u WHERE u.id = tafel_rls_user() AND NOT u.disabled), false)
$$;

GRANT EXECUTE ON FUNCTION tafel_rls_user(), tafel_rls_org(),
	tafel_rls_case_cats(bigint), tafel_rls_case_connected(bigint),
	tafel_rls_meeting_visible(bigint) TO tafel_app;

-- Reading the register directly (a backstop: the server uses the
-- functions): only what the current user may see.
GRANT SELECT ON organisations, series, series_members, meetings, attendance,
	case_statuses, case_transitions, persons, case_involved_orgs,
	action_points, data_categories, org_data_access, kind_data_access,
	idempotency
	TO tafel_app;
GRANT SELECT (id, login, display_name, org_id, roles, disabled, version,
	created_at, updated_at, updated_by) ON users TO tafel_app;
GRANT SELECT (id, number, theme, approach, district, submitter_org_id,
	submitter_user_id, case_manager_id, status, closed_at, legal_hold,
	anonymised_at, version, created_at, created_by, updated_at, updated_by)
	ON cases TO tafel_app;
GRANT SELECT (id, meeting_id, case_id, position, state, discussed_at,
	opened_at, version, created_at, created_by, updated_at, updated_by)
	ON agenda_items TO tafel_app;
GRANT INSERT ON audit_log TO tafel_app;
GRANT USAGE ON SEQUENCE audit_log_id_seq TO tafel_app;

ALTER TABLE cases ENABLE ROW LEVEL SECURITY;
ALTER TABLE persons ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_involved_orgs ENABLE ROW LEVEL SECURITY;
ALTER TABLE meetings ENABLE ROW LEVEL SECURITY;
ALTER TABLE attendance ENABLE ROW LEVEL SECURITY;
ALTER TABLE agenda_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE action_points ENABLE ROW LEVEL SECURITY;
ALTER TABLE changelog ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE purge_log ENABLE ROW LEVEL SECURITY;

CREATE POLICY tafel_app_cases ON cases FOR SELECT TO tafel_app
	USING (tafel_rls_case_connected(id));
CREATE POLICY tafel_app_persons ON persons FOR SELECT TO tafel_app
	USING ('person_names' = ANY (tafel_rls_case_cats(case_id)));
CREATE POLICY tafel_app_case_involved_orgs ON case_involved_orgs FOR SELECT
	TO tafel_app USING (tafel_rls_case_connected(case_id));
CREATE POLICY tafel_app_meetings ON meetings FOR SELECT TO tafel_app
	USING (tafel_rls_meeting_visible(id));
CREATE POLICY tafel_app_attendance ON attendance FOR SELECT TO tafel_app
	USING (tafel_rls_meeting_visible(meeting_id));
CREATE POLICY tafel_app_agenda_items ON agenda_items FOR SELECT TO tafel_app
	USING (tafel_rls_meeting_visible(meeting_id));
CREATE POLICY tafel_app_action_points ON action_points FOR SELECT TO tafel_app
	USING (owner_org_id = tafel_rls_org()
	    OR 'free_text' = ANY (tafel_rls_case_cats(case_id)));
CREATE POLICY tafel_app_idempotency ON idempotency FOR SELECT TO tafel_app
	USING (user_id = tafel_rls_user() AND tafel_rls_user() <> 0);
CREATE POLICY tafel_app_audit_insert ON audit_log FOR INSERT TO tafel_app
	WITH CHECK (user_id = tafel_rls_user() AND tafel_rls_user() <> 0);
-- changelog, purge_log: no policy, no grant: nothing for tafel_app
