-- Identity and access: organisations, people, memberships with roles, sign-in, sessions, API clients, audit.

CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9]{3,10}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('acute_trust', 'community_trust', 'mental_health_trust', 'ambulance_trust',
    'icb', 'education_provider', 'primary_care', 'social_care', 'other')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A person is the learner for life; memberships come and go with employers.
CREATE TABLE people (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  given_name text NOT NULL,
  family_name text NOT NULL,
  password_hash text,
  is_platform_admin boolean NOT NULL DEFAULT false,
  failed_sign_ins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  person_id uuid NOT NULL REFERENCES people(id),
  roles text[] NOT NULL DEFAULT ARRAY['learner']
    CHECK (roles <@ ARRAY['learner', 'supervisor', 'educator', 'org_admin']::text[]),
  assignment_number text,
  staff_group text,
  job_role text,
  band text,
  start_date date,
  end_date date,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, person_id)
);
CREATE INDEX memberships_person ON memberships (person_id);
CREATE UNIQUE INDEX memberships_assignment ON memberships (organisation_id, assignment_number)
  WHERE assignment_number IS NOT NULL;

CREATE TABLE oidc_identities (
  issuer text NOT NULL,
  subject text NOT NULL,
  person_id uuid NOT NULL REFERENCES people(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (issuer, subject)
);

-- Session and token ids are stored as SHA-256 hashes, so a database dump yields no usable cookie.
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES people(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  user_agent text,
  ip text
);
CREATE INDEX sessions_person ON sessions (person_id);

CREATE TABLE password_reset_tokens (
  token_hash text PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES people(id),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  email text NOT NULL CHECK (email = lower(email)),
  roles text[] NOT NULL CHECK (roles <@ ARRAY['learner', 'supervisor', 'educator', 'org_admin']::text[]),
  token_hash text NOT NULL UNIQUE,
  invited_by uuid REFERENCES people(id),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitations_organisation ON invitations (organisation_id, created_at DESC);

CREATE TABLE api_clients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  name text NOT NULL,
  key text NOT NULL UNIQUE,
  secret_hash text NOT NULL,
  scopes text[] NOT NULL,
  created_by uuid REFERENCES people(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_clients_organisation ON api_clients (organisation_id);

CREATE TABLE api_access_tokens (
  token_hash text PRIMARY KEY,
  client_id uuid NOT NULL REFERENCES api_clients(id),
  scopes text[] NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A staff import is parsed and checked first, kept here for preview, then applied in one transaction.
CREATE TABLE staff_imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  created_by uuid REFERENCES people(id),
  file_name text NOT NULL,
  rows jsonb NOT NULL,
  error_count integer NOT NULL,
  applied_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  action text NOT NULL,
  actor_person_id uuid REFERENCES people(id),
  actor_client_id uuid REFERENCES api_clients(id),
  organisation_id uuid REFERENCES organisations(id),
  subject_person_id uuid REFERENCES people(id),
  ip text,
  request_id text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_time ON audit_events (occurred_at DESC);
CREATE INDEX audit_events_organisation ON audit_events (organisation_id, occurred_at DESC);

-- Outgoing email is recorded here whether or not an SMTP server is configured.
CREATE TABLE email_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  to_address text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  error text
);
