-- Intake building blocks the JSON builders and the covenant use: the Dutch
-- phonetic name key, process managers of a district/theme, and the
-- earlier-cases match.  (The intake write ops and reads are in 55_intake.sql.)

-- The phonetic key of a Dutch name, for matching spelling variants:
-- lower case without diacritics (any letter with a mark: Unicode NFKD
-- with the marks dropped, "Ayşe Çelik" = "Ayse Celik"; and ø, ł, đ, ı, ß,
-- æ, œ, þ spelled out) and punctuation (a hyphen, an apostrophe and a
-- space alike: the words are joined, "Çelik-Brouwer" = "Celik Brouwer");
-- the tussenvoegsels (van,
-- de, der, den, ter, ten, te, het, 't, in, op, von) dropped, also when
-- written together with the last word ("Devries", "Vanderberg"); then per
-- word: ij/ey/y -> ei, chr at the start -> kr, sch -> s, ch -> g, ck/c/q -> k, x -> ks, ph/v -> f,
-- z -> s, ae -> a, dt/d at the end -> t, double letters single; the words
-- joined.  "Jansen" = "Janssen", "de Vries" = "De Vries" = "Devries",
-- "Meijer" = "Meyer" = "Meier", "Schmidt" = "Smit".
CREATE OR REPLACE FUNCTION tafel_name_key(p_name text)
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = public AS $$
DECLARE
	v_name text;
	v_words text[];
	v_keep text[] := '{}';
	w text;
	v_out text := '';
	i int;
BEGIN
	IF p_name IS NULL THEN
		RETURN '';
	END IF;
	v_name := p_name;
	-- diacritics: decomposed, the combining marks dropped (normalize
	-- needs a UTF8 database; without one the table below does the most
	-- common lower-case letters)
	IF current_setting('server_encoding') = 'UTF8' THEN
		v_name := regexp_replace(normalize(v_name, NFKD),
		    '[\u0300-\u036f]+', '', 'g');
	END IF;
	v_name := replace(replace(replace(replace(lower(v_name), 'ß', 'ss'),
	    'æ', 'ae'), 'œ', 'oe'), 'þ', 'th');
	v_words := regexp_split_to_array(btrim(regexp_replace(translate(
	    v_name, 'áàâäãåéèêëíìîïóòôöõúùûüýÿçñøłđıðşğčšžřćńśźżąęőűėūīā',
	    'aaaaaaeeeeiiiiooooouuuuyycnoldidsgcszrcnszzaeoueuia'), '[^a-z]+',
	    ' ', 'g')), ' ');
	FOREACH w IN ARRAY v_words LOOP
		CONTINUE WHEN w = '' OR w IN ('van', 'de', 'der', 'den', 'ter',
		    'ten', 'te', 'het', 't', 'in', 'op', 'von');
		v_keep := v_keep || w;
	END LOOP;
	IF cardinality(v_keep) = 0 THEN
		RETURN '';
	END IF;
	-- a tussenvoegsel written together with the surname
	i := cardinality(v_keep);
	v_keep[i] := regexp_replace(v_keep[i],
	    '^(vander|vanden|vande|van|der|den|de|ter|ten|te)(?=[a-z]{3})', '');
	FOREACH w IN ARRAY v_keep LOOP
		w := replace(w, 'ij', 'ei');
		w := replace(w, 'ey', 'ei');
		w := replace(w, 'y', 'ei');
		w := regexp_replace(w, '^chr', 'kr');
		w := replace(w, 'sch', 's');
		w := replace(w, 'ch', 'g');
		w := replace(w, 'ck', 'k');
		w := replace(w, 'c', 'k');
		w := replace(w, 'q', 'k');
		w := replace(w, 'x', 'ks');
		w := replace(w, 'ph', 'f');
		w := replace(w, 'v', 'f');
		w := replace(w, 'z', 's');
		w := replace(w, 'ae', 'a');
		w := regexp_replace(w, '(dt|d)$', 't');
		w := regexp_replace(w, '([a-z])\1+', '\1', 'g');
		v_out := v_out || w;
	END LOOP;
	RETURN v_out;
END
$$;

-- The process managers of a case: the users of the process_managers rows
-- for its district and its theme (or every theme, theme '').
CREATE OR REPLACE FUNCTION tafel_case_process_managers(p_case_id bigint)
RETURNS bigint[] LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce(array_agg(DISTINCT pm.user_id ORDER BY pm.user_id), '{}')
	FROM cases c
	JOIN process_managers pm ON pm.district = c.district
	    AND (pm.theme = '' OR pm.theme = c.theme)
	JOIN users u ON u.id = pm.user_id AND NOT u.disabled
	WHERE c.id = p_case_id
$$;

CREATE OR REPLACE FUNCTION tafel_is_process_manager(p_user_id bigint,
    p_case_id bigint)
RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (SELECT EXISTS (SELECT 1 FROM cases c
	    JOIN process_managers pm ON pm.district = c.district
		AND (pm.theme = '' OR pm.theme = c.theme)
	    WHERE c.id = p_case_id AND pm.user_id = p_user_id));
END
$$;

-- A case counts for the earlier-cases match when it is not closed, or was
-- registered or closed in the last 12 months.  Keeps its SET clause,
-- which stops PostgreSQL from inlining it: inlined into
-- tafel_access_earlier's match query, it let the planner ask tafel_access
-- of far more cases, and a 50-case snapshot took twice as long (measured
-- in session 21, docs/benchmarks.md).
CREATE OR REPLACE FUNCTION tafel_case_recent(c cases)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT c.closed_at IS NULL OR c.created_at >= now() - interval '12 months'
	    OR c.closed_at >= now() - interval '12 months'
$$;

-- The matches of the persons of a case in other recent cases: same birth
-- date (both known) and same name key.  No access check: callers filter.
CREATE OR REPLACE FUNCTION tafel_case_matches(p_case_id bigint)
RETURNS TABLE (person_id bigint, other_person_id bigint, other_case_id bigint)
LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT p.id, o.id, o.case_id
	FROM persons p
	JOIN persons o ON o.name_key = p.name_key AND o.birth_date = p.birth_date
	    AND o.case_id <> p.case_id
	JOIN cases oc ON oc.id = o.case_id
	WHERE p.case_id = p_case_id AND p.birth_date IS NOT NULL
	    AND p.name_key <> '' AND oc.anonymised_at IS NULL
	    AND tafel_case_recent(oc)
	ORDER BY o.case_id DESC, p.id, o.id
$$;

-- The other recent cases with a match for a person of p_case_id, each
-- once.  A semi-join on the case's distinct keys: its cost follows the
-- persons found, not the pairs (many persons of one name and birth date in
-- several cases would otherwise multiply).
CREATE OR REPLACE FUNCTION tafel_case_matched_cases(p_case_id bigint)
RETURNS SETOF bigint LANGUAGE sql STABLE SET search_path = public AS $$
	WITH k AS MATERIALIZED (
		SELECT DISTINCT p.name_key, p.birth_date FROM persons p
		WHERE p.case_id = p_case_id AND p.birth_date IS NOT NULL
		    AND p.name_key <> '')
	SELECT DISTINCT o.case_id
	FROM k
	JOIN persons o ON o.name_key = k.name_key AND o.birth_date = k.birth_date
	JOIN cases oc ON oc.id = o.case_id
	WHERE o.case_id <> p_case_id AND oc.anonymised_at IS NULL
	    AND tafel_case_recent(oc)
$$;

-- The cases of p_ids with a match (tafel_case_matches) in another recent
-- case, all at once: tafel_case_has_earlier for many cases.  EXISTS stops
-- at the first match of each person.
CREATE OR REPLACE FUNCTION tafel_cases_with_earlier(p_ids bigint[])
RETURNS SETOF bigint LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN QUERY
	SELECT DISTINCT p.case_id FROM persons p
	WHERE p.case_id = ANY (p_ids) AND p.birth_date IS NOT NULL
	    AND p.name_key <> ''
	    AND EXISTS (SELECT 1 FROM persons o JOIN cases oc ON oc.id = o.case_id
		WHERE o.name_key = p.name_key AND o.birth_date = p.birth_date
		    AND o.case_id <> p.case_id AND oc.anonymised_at IS NULL
		    AND tafel_case_recent(oc));
END
$$;

CREATE OR REPLACE FUNCTION tafel_case_has_earlier(p_case_id bigint)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	-- stops at the first match (tafel_case_matched_cases finds them all)
	SELECT EXISTS (SELECT 1 FROM persons p
	    WHERE p.case_id = p_case_id AND p.birth_date IS NOT NULL
		AND p.name_key <> ''
		AND EXISTS (SELECT 1 FROM persons o
		    JOIN cases oc ON oc.id = o.case_id
		    WHERE o.name_key = p.name_key AND o.birth_date = p.birth_date
			AND o.case_id <> p_case_id AND oc.anonymised_at IS NULL
			AND tafel_case_recent(oc)))
$$;
