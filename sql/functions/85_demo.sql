-- tafel_demo_data(password_hash): the demo safety house (docs/schema.md,
-- "Demo data").  Nothing here runs on its own: the administrator (tafelctl
-- demo-data) or a test calls it.

-- Migration 0005 (before the functions moved here) renamed the original
-- function to this and wrapped it; merged into tafel_demo_data now.
DROP FUNCTION IF EXISTS tafel_demo_data_0004(text);

CREATE OR REPLACE FUNCTION tafel_demo_case(p_theme text, p_approach text, p_district text,
    p_org bigint, p_user bigint, p_manager bigint, p_status text,
    p_summary text, p_persons jsonb, p_age interval)
RETURNS bigint LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_id bigint;
BEGIN
	INSERT INTO cases (number, theme, approach, district, submitter_org_id,
	    submitter_user_id, case_manager_id, status, summary, closed_at,
	    created_at, created_by, updated_at, updated_by)
	VALUES (tafel_next_case_number(), p_theme, p_approach, p_district, p_org,
	    p_user, p_manager, p_status, p_summary,
	    CASE WHEN p_status = 'closed' THEN now() - interval '20 days' END,
	    now() - p_age, p_user, now() - p_age / 2, p_user)
	RETURNING id INTO v_id;
	INSERT INTO persons (case_id, role, name, birth_date, updated_by)
	SELECT v_id, e ->> 'role', e ->> 'name', (e ->> 'birth_date')::date, p_user
	FROM jsonb_array_elements(p_persons) WITH ORDINALITY AS t(e, ord)
	ORDER BY ord;
	INSERT INTO case_involved_orgs (case_id, org_id, added_by)
	VALUES (v_id, p_org, p_user);
	-- the case manager's organisation, as routing makes it
	-- (tafel_routing_apply): whoever manages a case can read it
	INSERT INTO case_involved_orgs (case_id, org_id, added_by)
	SELECT v_id, m.org_id, p_user FROM users m WHERE m.id = p_manager
	ON CONFLICT DO NOTHING;
	RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION tafel_demo_action(p_case bigint, p_meeting bigint,
    p_description text, p_org bigint, p_user bigint, p_due date,
    p_state text, p_note text, p_by bigint)
RETURNS bigint LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_id bigint;
	v_finished timestamptz;
BEGIN
	IF p_state <> 'open' THEN
		v_finished := least(now(), p_due::timestamptz + interval '10 hours');
	END IF;
	INSERT INTO action_points (case_id, meeting_id, description, owner_org_id,
	    owner_user_id, due_date, state, completion_note, created_by,
	    updated_by, updated_at, finished_at, finished_by)
	VALUES (p_case, p_meeting, p_description, p_org, p_user, p_due, p_state,
	    coalesce(p_note, ''), p_by, coalesce(p_user, p_by),
	    coalesce(v_finished, now()), v_finished,
	    CASE WHEN p_state <> 'open' THEN coalesce(p_user, p_by) END)
	RETURNING id INTO v_id;
	INSERT INTO case_involved_orgs (case_id, org_id, added_by)
	VALUES (p_case, p_org, p_by)
	ON CONFLICT DO NOTHING;
	RETURN v_id;
END
$$;

-- Fills an empty register with an obviously fictional safety house,
-- Veiligheidshuis Regio Eemland-Twente, for demonstrations and manual
-- testing.  Every person, case and user in it is invented.  It is base
-- state: no change-log rows are written.  A second call does nothing.
CREATE OR REPLACE FUNCTION tafel_demo_data(p_password_hash text)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
	-- organisations
	o_pol bigint; o_om bigint; o_recl bigint; o_gem bigint; o_raad bigint;
	o_vt bigint; o_sh bigint; o_bjz bigint; o_for bigint; o_vsl bigint;
	o_ggz bigint; o_woon bigint; o_ha bigint; o_rb bigint;
	-- users
	u_vz bigint; u_pol bigint; u_wijk bigint; u_om bigint; u_recl bigint;
	u_bjz bigint; u_vt bigint; u_adm bigint; u_obs bigint; u_sh bigint;
	u_raad bigint; u_for bigint; u_vsl bigint; u_ggz bigint; u_woon bigint;
	u_ha bigint;
	-- series and meetings
	s_wzt bigint; s_sso bigint; s_hg bigint;
	m_wzt bigint; m_sso bigint; m_hg bigint; m_past bigint;
	v_round bigint;
	-- cases
	c1 bigint; c2 bigint; c3 bigint; c4 bigint; c5 bigint; c6 bigint;
	c7 bigint; c8 bigint; c9 bigint; c10 bigint; c11 bigint; c12 bigint;
BEGIN
	-- the demo is there when its municipality is: that name is invented,
	-- unlike the police unit's (tafelctl demo-data asks the same)
	IF EXISTS (SELECT 1 FROM organisations
	    WHERE name = 'Gemeente Eemland-Twente') THEN
		RETURN;
	END IF;

	-- ---------------------------------------------------------------
	-- Organisations: the convenant partners, one non-signatory and the
	-- court, which attends as a listener.
	-- ---------------------------------------------------------------
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Politie Eenheid Oost-Nederland', 'police', true, '2009-03-01')
	RETURNING id INTO o_pol;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Openbaar Ministerie, parket Oost-Nederland', 'prosecutor', true,
	    '2009-03-01') RETURNING id INTO o_om;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Reclassering Nederland, regio Oost', 'probation', true,
	    '2009-03-01') RETURNING id INTO o_recl;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Gemeente Eemland-Twente', 'municipality', true, '2009-03-01')
	RETURNING id INTO o_gem;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Raad voor de Kinderbescherming, regio Oost', 'child_protection',
	    true, '2009-03-01') RETURNING id INTO o_raad;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Veilig Thuis Eemland-Twente', 'veilig_thuis', true, '2015-01-01')
	RETURNING id INTO o_vt;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Slachtofferhulp Nederland, team Oost', 'victim_support', true,
	    '2010-06-15') RETURNING id INTO o_sh;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Bureau Jeugdzorg Eemland-Twente', 'youth_care', true,
	    '2009-09-01') RETURNING id INTO o_bjz;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('De Wering, forensische polikliniek', 'mental_health', true,
	    '2010-01-01') RETURNING id INTO o_for;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Tavenier Verslavingszorg', 'addiction_care', true, '2010-01-01')
	RETURNING id INTO o_vsl;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('GGZ Eemland-Twente', 'mental_health', true, '2011-04-01')
	RETURNING id INTO o_ggz;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Woonstichting De Eemhof', 'housing', true, '2012-02-01')
	RETURNING id INTO o_woon;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Huisartsenpraktijk De Linde', 'other', false, NULL)
	RETURNING id INTO o_ha;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Rechtbank Oost-Nederland (toehoorder)', 'other', true,
	    '2011-01-01') RETURNING id INTO o_rb;

	-- ---------------------------------------------------------------
	-- Users (all with the given password hash)
	-- ---------------------------------------------------------------
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('voorzitter', 'Anouk de Vries', o_gem, p_password_hash,
	    '{chair,member}') RETURNING id INTO u_vz;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('politie', 'Sanne Jansen', o_pol, p_password_hash, '{member}')
	RETURNING id INTO u_pol;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('wijkagent', 'Kevin Wolters', o_pol, p_password_hash, '{member}')
	RETURNING id INTO u_wijk;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('om', 'Pieter van den Berg', o_om, p_password_hash, '{member}')
	RETURNING id INTO u_om;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('reclassering', 'Fatima El Amrani', o_recl, p_password_hash,
	    '{member}') RETURNING id INTO u_recl;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('jeugdzorg', 'Lotte Hendriks', o_bjz, p_password_hash, '{member}')
	RETURNING id INTO u_bjz;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('veiligthuis', 'Joris Mulder', o_vt, p_password_hash, '{member}')
	RETURNING id INTO u_vt;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('admin', 'Erik Smit', o_gem, p_password_hash, '{admin}')
	RETURNING id INTO u_adm;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('waarnemer', 'Marieke Kok', o_rb, p_password_hash, '{observer}')
	RETURNING id INTO u_obs;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('slachtofferhulp', 'Ingrid Bos', o_sh, p_password_hash,
	    '{member}') RETURNING id INTO u_sh;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('raad', 'Thijs de Graaf', o_raad, p_password_hash, '{member}')
	RETURNING id INTO u_raad;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('forensisch', 'Noor Visser', o_for, p_password_hash, '{member}')
	RETURNING id INTO u_for;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('verslavingszorg', 'Bram Peters', o_vsl, p_password_hash,
	    '{member}') RETURNING id INTO u_vsl;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('ggz', 'Eline Dekker', o_ggz, p_password_hash, '{member}')
	RETURNING id INTO u_ggz;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('woningcorporatie', 'Ruud Meijer', o_woon, p_password_hash,
	    '{member}') RETURNING id INTO u_woon;
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('huisarts', 'Karin Brouwer', o_ha, p_password_hash, '{member}')
	RETURNING id INTO u_ha;

	-- ---------------------------------------------------------------
	-- Meeting series and their member organisations
	-- ---------------------------------------------------------------
	INSERT INTO series (name, kind, themes, district, usual_chair_id)
	VALUES ('WZT Enschede-Noord', 'wzt',
	    '{domestic_violence,repeat_offenders,at_risk_youth}',
	    'Enschede-Noord', u_vz) RETURNING id INTO s_wzt;
	INSERT INTO series_members (series_id, org_id)
	SELECT s_wzt, unnest(ARRAY[o_gem, o_pol, o_woon, o_ggz, o_vsl, o_bjz,
	    o_vt]);

	INSERT INTO series (name, kind, themes, district, usual_chair_id)
	VALUES ('SSO Enschede', 'sso', '{repeat_offenders,domestic_violence}',
	    'Enschede', u_vz) RETURNING id INTO s_sso;
	INSERT INTO series_members (series_id, org_id)
	SELECT s_sso, unnest(ARRAY[o_om, o_pol, o_recl, o_gem, o_for, o_vsl,
	    o_ggz]);

	INSERT INTO series (name, kind, themes, district, usual_chair_id)
	VALUES ('Casusoverleg huiselijk geweld district Eemland',
	    'casusoverleg_hg', '{domestic_violence}', 'Eemland', u_vz)
	RETURNING id INTO s_hg;
	INSERT INTO series_members (series_id, org_id)
	SELECT s_hg, unnest(ARRAY[o_vt, o_pol, o_om, o_sh, o_recl, o_for, o_raad,
	    o_bjz, o_gem, o_rb]);

	-- ---------------------------------------------------------------
	-- Meetings: one per series today, and last month's WZT (closed)
	-- ---------------------------------------------------------------
	INSERT INTO meetings (series_id, scheduled_start, chair_id, created_by,
	    updated_by)
	VALUES (s_wzt, (v_today + time '09:30') AT TIME ZONE 'Europe/Amsterdam',
	    u_vz, u_vz, u_vz) RETURNING id INTO m_wzt;
	INSERT INTO meetings (series_id, scheduled_start, chair_id, created_by,
	    updated_by)
	VALUES (s_sso, (v_today + time '13:00') AT TIME ZONE 'Europe/Amsterdam',
	    u_vz, u_vz, u_vz) RETURNING id INTO m_sso;
	INSERT INTO meetings (series_id, scheduled_start, chair_id, created_by,
	    updated_by)
	VALUES (s_hg, (v_today + time '15:00') AT TIME ZONE 'Europe/Amsterdam',
	    u_vz, u_vz, u_vz) RETURNING id INTO m_hg;
	INSERT INTO meetings (series_id, scheduled_start, state, chair_id,
	    opened_at, closed_at, created_by, updated_by, version)
	VALUES (s_wzt,
	    (v_today - 28 + time '09:30') AT TIME ZONE 'Europe/Amsterdam',
	    'closed', u_vz,
	    (v_today - 28 + time '09:32') AT TIME ZONE 'Europe/Amsterdam',
	    (v_today - 28 + time '11:05') AT TIME ZONE 'Europe/Amsterdam',
	    u_vz, u_vz, 3) RETURNING id INTO m_past;
	INSERT INTO attendance (meeting_id, user_id, org_id, present, remote,
	    updated_by)
	VALUES (m_past, u_vz, o_gem, true, false, u_vz),
	    (m_past, u_wijk, o_pol, true, false, u_vz),
	    (m_past, u_woon, o_woon, true, true, u_vz),
	    (m_past, u_bjz, o_bjz, true, false, u_vz),
	    (m_past, u_vt, o_vt, true, true, u_vz),
	    (m_past, u_ggz, o_ggz, false, false, u_vz),
	    (m_past, u_vsl, o_vsl, false, false, u_vz);

	-- ---------------------------------------------------------------
	-- Cases at every stage of the routing
	-- ---------------------------------------------------------------
	c1 := tafel_demo_case('domestic_violence', 'system', 'Enschede-Noord',
	    o_pol, u_wijk, u_bjz, 'in_progress',
	    'Herhaald huiselijk geweld na de scheiding; drie meldingen in zes '
	    || 'maanden. Tijdelijk huisverbod opgelegd en verlengd. Zoon Daan '
	    || '(groep 6) is getuige geweest. Plan van aanpak: veiligheidsplan '
	    || 'moeder, daderhulp vader, steun op school.',
	    '[{"role":"suspect","name":"Jeroen Bakker","birth_date":"1986-04-12"},
	      {"role":"victim","name":"Fleur van Dijk","birth_date":"1989-09-03"},
	      {"role":"child","name":"Daan Bakker","birth_date":"2016-01-22"}]',
	    interval '75 days');
	c2 := tafel_demo_case('repeat_offenders', 'person', 'Enschede',
	    o_pol, u_pol, NULL, 'direction',
	    'Veelpleger: 14 winkeldiefstallen en twee inbraken in een jaar, '
	    || 'verslaafd aan cocaïne, dakloos sinds de zomer. Inforonde '
	    || 'afgerond; besluit nodig over regie en woonvoorziening.',
	    '[{"role":"suspect","name":"Mehmet Özdemir","birth_date":"1998-11-30"}]',
	    interval '40 days');
	c3 := tafel_demo_case('at_risk_youth', 'system', 'Enschede-Noord',
	    o_gem, u_vz, u_bjz, 'plan',
	    'Meisje van 16 verzuimt structureel, contacten met een oudere '
	    || 'groep; moeder heeft schulden en dreigt uit huis gezet te worden.',
	    '[{"role":"child","name":"Zoë Smits","birth_date":"2009-06-14"},
	      {"role":"other","name":"Chantal Smits","birth_date":"1981-02-07"}]',
	    interval '60 days');
	c4 := tafel_demo_case('domestic_violence', 'system', 'Eemland',
	    o_vt, u_vt, NULL, 'info_round',
	    'Melding van de buren: geschreeuw en gestommel, vrouw met blauwe '
	    || 'plekken gezien. Inforonde loopt; politie en huisarts bevraagd.',
	    '[{"role":"victim","name":"Anna Kowalska","birth_date":"1992-05-19"},
	      {"role":"suspect","name":"Marek Kowalski","birth_date":"1990-12-01"}]',
	    interval '9 days');
	c5 := tafel_demo_case('domestic_violence', 'person', 'Eemland',
	    o_pol, u_pol, NULL, 'screening',
	    'Aangifte mishandeling door partner; verdachte in verzekering '
	    || 'gesteld en heengezonden. Kinderen aanwezig tijdens het incident.',
	    '[{"role":"victim","name":"Sevda Yılmaz","birth_date":"1995-03-25"},
	      {"role":"suspect","name":"Emre Yılmaz","birth_date":"1993-08-08"},
	      {"role":"child","name":"Elif Yılmaz","birth_date":"2019-10-30"}]',
	    interval '4 days');
	c6 := tafel_demo_case('domestic_violence', 'person', 'Eemland',
	    o_sh, u_sh, NULL, 'signal',
	    'Vermoeden van financiële uitbuiting en verwaarlozing van een '
	    || 'oudere vrouw door haar inwonende zoon.',
	    '[{"role":"victim","name":"Wilma ter Horst","birth_date":"1941-07-16"},
	      {"role":"suspect","name":"Gerrit ter Horst","birth_date":"1969-01-04"}]',
	    interval '2 days');
	c7 := tafel_demo_case('repeat_offenders', 'person', 'Enschede',
	    o_recl, u_recl, u_recl, 'in_progress',
	    'Voorwaardelijk veroordeeld met meldplicht en verplichte '
	    || 'behandeling; werkt mee, maar mist afspraken bij terugval.',
	    '[{"role":"suspect","name":"Rachid Bouzid","birth_date":"1995-02-28"}]',
	    interval '120 days');
	c8 := tafel_demo_case('repeat_offenders', 'person', 'Enschede',
	    o_om, u_om, u_recl, 'monitoring',
	    'Doelen plan van aanpak bereikt: vaste woonplek, werk via '
	    || 'participatiebedrijf, geen nieuwe antecedenten in vier maanden.',
	    '[{"role":"suspect","name":"Dennis Nijhuis","birth_date":"1988-10-10"}]',
	    interval '300 days');
	c9 := tafel_demo_case('at_risk_youth', 'area', 'Enschede-Noord',
	    o_pol, u_wijk, NULL, 'direction',
	    'Jongerengroep rond het winkelcentrum Deppenbroek: overlast, '
	    || 'vernielingen, vermoedelijk handel in lachgas.',
	    '[{"role":"child","name":"Luuk Brinkman","birth_date":"2008-04-03"},
	      {"role":"child","name":"Jayden Veldhuis","birth_date":"2007-11-21"}]',
	    interval '30 days');
	c10 := tafel_demo_case('domestic_violence', 'system', 'Enschede-Noord',
	    o_vt, u_vt, NULL, 'closed',
	    'Eenmalig incident na ontslag; beide partners in vrijwillige '
	    || 'hulpverlening, geen coördinatie nodig.',
	    '[{"role":"victim","name":"Ingrid Hoekstra","birth_date":"1975-06-30"},
	      {"role":"suspect","name":"René Hoekstra","birth_date":"1973-09-12"}]',
	    interval '50 days');
	c11 := tafel_demo_case('domestic_violence', 'system', 'Eemland',
	    o_vt, u_vt, u_vt, 'monitoring',
	    'Na huisverbod en daderhulp is de situatie thuis stabiel; '
	    || 'Raad onderzoekt nog of een ondertoezichtstelling nodig is.',
	    '[{"role":"victim","name":"Sophie Lambrecht","birth_date":"1990-01-15"},
	      {"role":"suspect","name":"Thomas Lambrecht","birth_date":"1987-03-03"},
	      {"role":"child","name":"Noah Lambrecht","birth_date":"2014-12-09"}]',
	    interval '200 days');
	c12 := tafel_demo_case('at_risk_youth', 'person', 'Enschede-Noord',
	    o_gem, u_vz, NULL, 'screening',
	    'Signaal van de huisarts via de gemeente: jongen van 15 met '
	    || 'zelfbeschadiging en dreigende schooluitval.',
	    '[{"role":"child","name":"Björn Hofstede","birth_date":"2010-08-18"}]',
	    interval '6 days');

	-- ---------------------------------------------------------------
	-- Agendas: last month's WZT (discussed) and today's meetings
	-- ---------------------------------------------------------------
	INSERT INTO agenda_items (meeting_id, case_id, position, state, decision,
	    discussed_at, created_by, updated_by, version)
	VALUES (m_past, c1, 1, 'discussed', 'Huisverbod verlengen; Jeugdzorg '
	    || 'wordt casemanager en presenteert het plan van aanpak volgende keer.',
	    (v_today - 28 + time '09:40') AT TIME ZONE 'Europe/Amsterdam',
	    u_vz, u_vz, 3),
	    (m_past, c3, 2, 'discussed', 'Opschalen naar plan van aanpak; '
	    || 'woningcorporatie en gemeente zoeken samen naar een oplossing '
	    || 'voor de huurachterstand.',
	    (v_today - 28 + time '10:15') AT TIME ZONE 'Europe/Amsterdam',
	    u_vz, u_vz, 3),
	    (m_past, c10, 3, 'discussed', 'Geen coördinatie nodig; casus sluiten '
	    || 'na terugkoppeling aan Veilig Thuis.',
	    (v_today - 28 + time '10:50') AT TIME ZONE 'Europe/Amsterdam',
	    u_vz, u_vz, 3);
	-- the agenda was made the week before; decided in the meeting (the
	-- minutes mark later changes, 58_minutes.sql)
	UPDATE agenda_items SET
	    created_at = (v_today - 35 + time '12:00') AT TIME ZONE 'Europe/Amsterdam',
	    updated_at = discussed_at
	WHERE meeting_id = m_past;

	INSERT INTO agenda_items (meeting_id, case_id, position, created_by,
	    updated_by)
	VALUES (m_wzt, c1, 1, u_vz, u_vz), (m_wzt, c3, 2, u_vz, u_vz),
	    (m_wzt, c9, 3, u_vz, u_vz), (m_wzt, c12, 4, u_vz, u_vz),
	    (m_sso, c2, 1, u_vz, u_vz), (m_sso, c7, 2, u_vz, u_vz),
	    (m_sso, c8, 3, u_vz, u_vz),
	    (m_hg, c5, 1, u_vz, u_vz), (m_hg, c4, 2, u_vz, u_vz),
	    (m_hg, c6, 3, u_vz, u_vz), (m_hg, c11, 4, u_vz, u_vz);

	-- ---------------------------------------------------------------
	-- Action points: several owners, some overdue, some done
	-- ---------------------------------------------------------------
	PERFORM tafel_demo_action(c1, m_past, 'Toetsing verlenging huisverbod '
	    || 'door de hulpofficier van justitie', o_pol, u_wijk, v_today - 3,
	    'open', NULL, u_vz);
	PERFORM tafel_demo_action(c1, m_past, 'Gesprek met Daan en de intern '
	    || 'begeleider op school; terugkoppeling aan de politie', o_bjz, u_bjz,
	    v_today - 14, 'done', 'Gesprek gevoerd op school. Daan krijgt wekelijks '
	    || 'een gesprek met de intern begeleider; wijkagent is geïnformeerd.',
	    u_vz);
	PERFORM tafel_demo_action(c1, m_past, 'Veiligheidsplan opstellen met '
	    || 'Fleur van Dijk', o_vt, u_vt, v_today + 7, 'open', NULL, u_vz);
	PERFORM tafel_demo_action(c1, NULL, 'Aanmelding daderhulp bij De Wering',
	    o_for, NULL, v_today + 14, 'open', NULL, u_bjz);
	PERFORM tafel_demo_action(c2, NULL, 'Intake verslavingszorg plannen',
	    o_vsl, u_vsl, v_today + 10, 'open', NULL, u_pol);
	PERFORM tafel_demo_action(c2, NULL, 'Vroeghulp-advies aan het OM sturen',
	    o_recl, u_recl, v_today - 5, 'open', NULL, u_pol);
	PERFORM tafel_demo_action(c3, m_past, 'Schuldhulpverlening aanvragen '
	    || 'voor moeder', o_gem, u_vz, v_today - 10, 'open', NULL, u_vz);
	PERFORM tafel_demo_action(c3, m_past, 'Huisbezoek en betalingsregeling '
	    || 'huurachterstand', o_woon, u_woon, v_today - 12, 'done',
	    'Betalingsregeling getroffen (€ 85 per maand); ontruiming '
	    || 'opgeschort zolang de regeling loopt.', u_vz);
	PERFORM tafel_demo_action(c7, NULL, 'Naleving meldplicht controleren '
	    || 'en bij verzuim direct het OM informeren', o_recl, u_recl,
	    v_today + 14, 'open', NULL, u_recl);
	PERFORM tafel_demo_action(c7, NULL, 'Inverzekeringstelling binnen 24 uur '
	    || 'aan het OM doorgeven', o_pol, u_pol, v_today - 20, 'done',
	    'Doorgegeven aan het parket op de dag van de aanhouding.', u_recl);
	PERFORM tafel_demo_action(c8, NULL, 'Evaluatie behandeling en '
	    || 'nazorgafspraken', o_ggz, u_ggz, v_today + 30, 'open', NULL, u_recl);
	PERFORM tafel_demo_action(c9, NULL, 'Extra surveillance rond het '
	    || 'winkelcentrum op vrijdag- en zaterdagavond', o_pol, u_wijk,
	    v_today - 1, 'open', NULL, u_wijk);
	PERFORM tafel_demo_action(c9, NULL, 'Jongerenwerk inzetten en ouders '
	    || 'uitnodigen', o_gem, NULL, v_today + 21, 'open', NULL, u_wijk);
	PERFORM tafel_demo_action(c10, m_past, 'Terugkoppeling aan Veilig Thuis '
	    || 'over vrijwillige hulp', o_gem, u_vz, v_today - 21, 'done',
	    'Beide partners zijn in zorg bij het maatschappelijk werk; '
	    || 'Veilig Thuis sluit de melding.', u_vz);
	-- last month's action points were agreed in that meeting
	UPDATE action_points SET created_at = (v_today - 28 + time '10:55')
	    AT TIME ZONE 'Europe/Amsterdam'
	WHERE meeting_id = m_past;
	PERFORM tafel_demo_action(c11, NULL, 'Contact met Sophie Lambrecht over '
	    || 'haar veiligheid en steun bij de rechtszaak', o_sh, u_sh,
	    v_today - 30, 'done', 'Twee gesprekken gevoerd; zij voelt zich veilig '
	    || 'en wordt bijgestaan door een advocaat.', u_vt);
	PERFORM tafel_demo_action(c11, NULL, 'Raadsonderzoek ondertoezichtstelling '
	    || 'Noah afronden', o_raad, u_raad, v_today + 20, 'open', NULL, u_vt);
	PERFORM tafel_demo_action(c11, NULL, 'Oude afspraak over een '
	    || 'gezinsgesprek (vervallen na het huisverbod)', o_bjz, NULL,
	    v_today - 60, 'cancelled', '', u_vt);
	PERFORM tafel_demo_action(c4, NULL, 'Inforonde afronden en resultaat '
	    || 'aan de procesregisseur', o_vt, u_vt, v_today + 2, 'open', NULL, u_vt);
	PERFORM tafel_demo_action(c5, NULL, 'Proces-verbaal en risicotaxatie '
	    || 'aanleveren voor het casusoverleg', o_pol, u_pol, v_today, 'open',
	    NULL, u_pol);

	-- ---------------------------------------------------------------
	-- The info round its summary tells of: case c4's process manager
	-- asked the police and the GP practice two days ago; the police
	-- read its inbox entry (as start_info_round gives one to each asked
	-- organisation) and answered, the GP has not yet.
	-- ---------------------------------------------------------------
	INSERT INTO info_rounds (case_id, reply_by, started_by, started_at)
	VALUES (c4, v_today + 3, u_vz, now() - interval '2 days')
	RETURNING id INTO v_round;
	INSERT INTO info_round_orgs (round_id, org_id, answer, note,
	    answered_by, answered_at)
	VALUES (v_round, o_pol, 'known', 'Twee eerdere meldingen op dit adres '
	    || '(2025); geen wapens bekend.', u_pol, now() - interval '1 day'),
	    (v_round, o_ha, NULL, '', NULL, NULL);
	INSERT INTO inbox_entries (kind, case_id, info_round_id,
	    recipient_org_id, sender_id, created_at, read_at, read_by)
	VALUES ('info_round_asked', c4, v_round, o_pol, u_vz,
	    now() - interval '2 days', now() - interval '1 day', u_pol),
	    ('info_round_asked', c4, v_round, o_ha, u_vz,
	    now() - interval '2 days', NULL, NULL);

	-- ---------------------------------------------------------------
	-- Nominations: two partners ask for a case on another series'
	-- agenda, as nominate_case leaves them (pending, no change-log row
	-- here).  Each nominating organisation is involved in its case and
	-- a member of the series; the chair sees them under 5 and, in the
	-- series' meeting today, as proposals (v).
	-- ---------------------------------------------------------------
	-- the addiction care that is to see case c2 (its intake action)
	-- asks the WZT for housing
	INSERT INTO nominations (series_id, case_id, org_id, nominated_by,
	    reason, created_at, updated_at, updated_by)
	VALUES (s_wzt, c2, o_vsl, u_vsl, 'De intake bij ons is gepland, maar '
	    || 'zonder vaste woonplek houdt hij een behandeling niet vol. Graag '
	    || 'in het WZT met de woningcorporatie en de gemeente bespreken of '
	    || 'een plek in de maatschappelijke opvang of begeleid wonen '
	    || 'mogelijk is.', now() - interval '1 day',
	    now() - interval '1 day', u_vsl),
	-- the police, which submitted case c1, asks the SSO for the justice
	-- view
	    (s_sso, c1, o_pol, u_wijk, 'Derde melding in zes maanden en het '
	    || 'huisverbod is al verlengd. Daderhulp komt vrijwillig niet van de '
	    || 'grond: graag in het SSO bespreken of het OM een strafrechtelijk '
	    || 'kader kan bieden (bijzondere voorwaarden).',
	    now() - interval '2 days', now() - interval '2 days', u_wijk);

	-- ---------------------------------------------------------------
	-- Attendance: the GP practice (non-signatory, remote) and the
	-- housing corporation attend today's WZT with the chair, so the
	-- covenant rules show; last month's WZT was attended from its
	-- opening to its close.
	-- ---------------------------------------------------------------
	INSERT INTO attendance (meeting_id, user_id, org_id, present, remote,
	    updated_by)
	SELECT m_wzt, u.id, u.org_id, true, u.login = 'huisarts', u_vz
	FROM users u
	WHERE u.login IN ('voorzitter', 'huisarts', 'woningcorporatie');
	INSERT INTO attendance_periods (meeting_id, user_id, org_id, arrived_at,
	    left_at)
	SELECT a.meeting_id, a.user_id, a.org_id, m.opened_at, m.closed_at
	FROM attendance a JOIN meetings m ON m.id = a.meeting_id
	WHERE m.id = m_past AND a.present;
END
$$;
