-- 0001 foundation: the organisations taking part in the case register and their users.

CREATE TABLE organisations (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	kind		text NOT NULL CHECK (kind IN (
			    'police', 'prosecutor', 'probation', 'municipality',
			    'child_protection', 'veilig_thuis', 'youth_care',
			    'mental_health', 'addiction_care', 'housing',
			    'victim_support', 'other')),
	covenant_signed	boolean NOT NULL DEFAULT false,
	covenant_since	date,
	version		bigint NOT NULL DEFAULT 1,
	created_at	timestamptz DEFAULT now()
);

CREATE TABLE users (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	login		text NOT NULL UNIQUE
			    CHECK (length(login) BETWEEN 1 AND 64),
	display_name	text NOT NULL,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	password_hash	text,
	roles		text[] NOT NULL DEFAULT '{member}'
			    CHECK (roles <@ ARRAY['admin', 'chair', 'member',
			    'observer']::text[]),
	disabled	boolean NOT NULL DEFAULT false,
	version		bigint NOT NULL DEFAULT 1,
	created_at	timestamptz DEFAULT now()
);

CREATE INDEX users_org_id_idx ON users (org_id);
