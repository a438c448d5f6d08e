-- cmi5 delivery (cmi5 spec, Quartz): Tessera is the LMS and its own LRS. An AU launch is a session with a one-use
-- fetch URL and, once fetched, a credential that acts for the learner only; per attempt (registration) Tessera keeps
-- what each AU reported (and whether its moveOn is met) and which blocks and the course it has declared satisfied.

-- One AU launch session. Its id is the cmi5 session id in every statement of the session.
CREATE TABLE cmi5_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  attempt_id uuid NOT NULL REFERENCES learning_attempts(id) ON DELETE CASCADE,
  registration uuid NOT NULL,                  -- the attempt's registration, as in the launch URL
  au_id text NOT NULL,                         -- the AU's id in the course structure (its publisher id)
  au_activity_id text NOT NULL,                -- the activity id Tessera generated for the AU (the launch's activityId)
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,  -- the AU's statements go here
  -- The Agent in the launch URL; the AU's statements must have it. cmi5 9.2: identified by an account (Tessera's
  -- home page, the person id), so the launch URL carries no email address.
  actor jsonb NOT NULL CHECK (actor->>'objectType' = 'Agent' AND jsonb_typeof(actor->'account') = 'object'),
  launch_mode text NOT NULL CHECK (launch_mode IN ('Normal', 'Browse', 'Review')),
  mastery_score double precision CHECK (mastery_score BETWEEN 0 AND 1),
  fetch_hash text NOT NULL UNIQUE,             -- SHA-256 of the fetch URL's token
  secret_hash text,                            -- SHA-256 of the session credential's secret, once fetched
  verbs jsonb NOT NULL DEFAULT '{}',           -- cmi5 defined verbs the AU sent this session: verb -> statement id
  launched_at timestamptz NOT NULL DEFAULT now(),
  fetched_at timestamptz,
  last_statement_at timestamptz,
  terminated_at timestamptz,
  abandoned_at timestamptz,
  expires_at timestamptz NOT NULL              -- the fetch URL and the credential stop working
);
CREATE INDEX cmi5_sessions_open ON cmi5_sessions (attempt_id) WHERE terminated_at IS NULL AND abandoned_at IS NULL;
CREATE INDEX cmi5_sessions_attempt ON cmi5_sessions (attempt_id, au_id);

-- What an AU reported in a registration: completed and passed once each (their statement ids), failed, the score;
-- and when its moveOn was first met (the attempt's progress counts it; an optional AU has a row for that alone).
CREATE TABLE cmi5_au_outcomes (
  attempt_id uuid NOT NULL REFERENCES learning_attempts(id) ON DELETE CASCADE,
  au_id text NOT NULL,
  completed_statement uuid,
  passed_statement uuid,
  failed boolean NOT NULL DEFAULT false,
  score double precision CHECK (score BETWEEN 0 AND 1),   -- scaled: of the passed statement, else the last failed
  moveon_met_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (attempt_id, au_id)
);

-- The blocks and course Tessera has declared satisfied in a registration: one "satisfied" statement each. AUs get
-- none: cmi5 9.3.9 and 9.4 define "satisfied" for blocks and the course only.
CREATE TABLE cmi5_satisfied (
  attempt_id uuid NOT NULL REFERENCES learning_attempts(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('block', 'course')),
  node_id text NOT NULL,                       -- the id in the course structure
  session_id uuid NOT NULL,                    -- the session that satisfied it, or one made for the occasion
  satisfied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (attempt_id, kind, node_id)
);
