-- Evidence and sign-off: who supervises whom, the evidence a learner attaches to a framework item, their requests
-- for a supervisor to confirm it, and the competencies confirmed (attained).
--
-- An item is named across framework versions by (framework identifier, item identifier): the CASE identifiers
-- every version shares. Evidence and requests are the learner's own (keyed by person); a request and what it
-- confirms carry the organisation of the supervision it went through.

-- A supervisor supervises a member of an organisation until the assignment ends. It counts only while it has not
-- ended, the supervisor still holds the supervisor role there and both are still members (checked when read).
CREATE TABLE competency_supervisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  supervisor_id uuid NOT NULL REFERENCES people(id),
  supervisee_id uuid NOT NULL REFERENCES people(id),
  created_by uuid REFERENCES people(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  ended_by uuid REFERENCES people(id),
  CHECK (supervisor_id <> supervisee_id)
);
CREATE UNIQUE INDEX competency_supervisions_current
  ON competency_supervisions (organisation_id, supervisor_id, supervisee_id) WHERE ended_at IS NULL;
CREATE INDEX competency_supervisions_supervisor ON competency_supervisions (supervisor_id) WHERE ended_at IS NULL;
CREATE INDEX competency_supervisions_supervisee ON competency_supervisions (supervisee_id) WHERE ended_at IS NULL;
CREATE INDEX competency_supervisions_org ON competency_supervisions (organisation_id, created_at);

-- A learner's request for sign-off of one item: pending with the supervisor, returned to the learner with
-- comments (and then sent again, the same request), or confirmed. At most one open request per item.
CREATE TABLE competency_signoff_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people(id),
  framework_id uuid NOT NULL REFERENCES competency_frameworks(id),  -- the version the learner asked on
  framework_identifier uuid NOT NULL,
  item_identifier uuid NOT NULL,
  supervision_id uuid NOT NULL REFERENCES competency_supervisions(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),       -- the supervision's organisation
  level integer,                                                    -- a level of the framework's scale, or none
  message text,
  status text NOT NULL CHECK (status IN ('pending', 'returned', 'confirmed')),
  submitted_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  decided_by uuid REFERENCES people(id),
  decision_comment text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX competency_signoff_requests_open
  ON competency_signoff_requests (person_id, framework_identifier, item_identifier)
  WHERE status IN ('pending', 'returned');
CREATE INDEX competency_signoff_requests_supervision ON competency_signoff_requests (supervision_id, status);
CREATE INDEX competency_signoff_requests_person ON competency_signoff_requests (person_id, status);

-- What happened to a request, in order: sent, returned (with the supervisor's comment), sent again, confirmed.
CREATE TABLE competency_signoff_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES competency_signoff_requests(id) ON DELETE CASCADE,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid REFERENCES people(id),
  action text NOT NULL CHECK (action IN ('submitted', 'returned', 'resubmitted', 'confirmed')),
  comment text
);
CREATE INDEX competency_signoff_events_request ON competency_signoff_events (request_id, id);

-- Evidence for an item. Open evidence (request_id null) goes with the item's next or open request; confirming a
-- request fixes its evidence to it (request_id set), after which it cannot be removed.
CREATE TABLE competency_evidence (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people(id),
  framework_identifier uuid NOT NULL,
  item_identifier uuid NOT NULL,
  request_id uuid REFERENCES competency_signoff_requests(id),
  kind text NOT NULL CHECK (kind IN ('completion', 'file', 'reflection')),
  title text NOT NULL,        -- completion: the learning record line; file: the learner's title; reflection: 'Reflection'
  body text,                  -- reflection: the text; completion: who recorded it
  statement_id uuid,          -- completion: the xAPI statement in the learner's record
  file_type text,             -- file: the media type found in its content
  file_size integer,
  file_content bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'reflection' OR body IS NOT NULL),
  CHECK (kind <> 'completion' OR statement_id IS NOT NULL),
  CHECK (kind <> 'file' OR (file_type IS NOT NULL AND file_size IS NOT NULL AND file_content IS NOT NULL))
);
CREATE INDEX competency_evidence_item ON competency_evidence (person_id, framework_identifier, item_identifier);
CREATE INDEX competency_evidence_request ON competency_evidence (request_id);

-- Confirmed competencies: who attained which item, at what level, on what day, confirmed by whom, through which
-- request, and the xAPI statement written to the learner's record.
CREATE TABLE competency_attainments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people(id),
  framework_id uuid NOT NULL REFERENCES competency_frameworks(id),
  framework_identifier uuid NOT NULL,
  item_identifier uuid NOT NULL,
  level integer,
  attained_on date NOT NULL,
  confirmed_by uuid NOT NULL REFERENCES people(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  request_id uuid NOT NULL UNIQUE REFERENCES competency_signoff_requests(id),
  statement_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX competency_attainments_person
  ON competency_attainments (person_id, framework_identifier, item_identifier);
