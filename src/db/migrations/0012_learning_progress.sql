-- Taking learning: attempts and their runtime data, completions (kept for ever: the history of recertification),
-- enrolments, programmes and pathways, and assignments by organisations with due dates and recertification.

-- One go at one version of a resource. Its registration is the xAPI registration of every statement about it.
CREATE TABLE learning_attempts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  resource_id uuid NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  resource_version_id uuid NOT NULL REFERENCES resource_versions(id),
  registration uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  status text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'completed', 'passed', 'failed')),
  score double precision CHECK (score BETWEEN 0 AND 100),   -- percent
  progress jsonb NOT NULL DEFAULT '{}',      -- small, type-specific: where the learner is (e.g. the current SCO)
  started_at timestamptz NOT NULL DEFAULT now(),
  last_accessed_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz                    -- when it was completed, passed or (finally) failed
);
CREATE INDEX learning_attempts_person ON learning_attempts (person_id, resource_id, started_at DESC);
CREATE INDEX learning_attempts_open ON learning_attempts (person_id, last_accessed_at DESC) WHERE status = 'in_progress';

-- SCORM run-time data per SCO of an attempt (the CMI data model as scorm-again commits it), so a learner resumes
-- on any device.
CREATE TABLE scorm_runtime (
  attempt_id uuid NOT NULL REFERENCES learning_attempts(id) ON DELETE CASCADE,
  sco_identifier text NOT NULL,
  cmi jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (attempt_id, sco_identifier)
);

CREATE TABLE programmes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  catalogue_id uuid NOT NULL REFERENCES catalogues(id),
  organisation_id uuid REFERENCES organisations(id) ON DELETE CASCADE,  -- the catalogue's owner
  kind text NOT NULL DEFAULT 'programme' CHECK (kind IN ('programme', 'pathway')),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retired')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '',
  -- all: every item; required: every item marked required; count: at least completion_count items
  completion_rule text NOT NULL DEFAULT 'all' CHECK (completion_rule IN ('all', 'required', 'count')),
  completion_count integer CHECK (completion_count > 0),
  validity_months integer CHECK (validity_months > 0),
  created_by uuid REFERENCES people(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX programmes_catalogue ON programmes (catalogue_id, status);

CREATE TABLE programme_items (
  programme_id uuid NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
  resource_id uuid NOT NULL REFERENCES resources(id),
  position integer NOT NULL,
  required boolean NOT NULL DEFAULT true,
  prerequisites uuid[] NOT NULL DEFAULT '{}',  -- resource ids of this programme to complete first
  PRIMARY KEY (programme_id, resource_id)
);
CREATE INDEX programme_items_resource ON programme_items (resource_id);

-- A completion of a resource or a programme. Never updated or deleted: a recertification is a new row.
CREATE TABLE completions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  resource_id uuid REFERENCES resources(id) ON DELETE CASCADE,
  programme_id uuid REFERENCES programmes(id) ON DELETE CASCADE,
  attempt_id uuid REFERENCES learning_attempts(id) ON DELETE SET NULL,
  completed_at timestamptz NOT NULL,
  score double precision CHECK (score BETWEEN 0 AND 100),
  expires_at timestamptz,                    -- completed_at plus the validity period; null: does not expire
  certificate_number text NOT NULL UNIQUE,
  CHECK ((resource_id IS NULL) <> (programme_id IS NULL))
);
CREATE INDEX completions_person ON completions (person_id, completed_at DESC);
CREATE INDEX completions_resource ON completions (resource_id, person_id, completed_at DESC);
CREATE INDEX completions_programme ON completions (programme_id, person_id, completed_at DESC);

-- The learner's own list: what they chose to take (self), or what an assignment put there.
CREATE TABLE enrolments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  resource_id uuid REFERENCES resources(id) ON DELETE CASCADE,
  programme_id uuid REFERENCES programmes(id) ON DELETE CASCADE,
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz,
  CHECK ((resource_id IS NULL) <> (programme_id IS NULL))
);
CREATE UNIQUE INDEX enrolments_resource ON enrolments (person_id, resource_id) WHERE resource_id IS NOT NULL;
CREATE UNIQUE INDEX enrolments_programme ON enrolments (person_id, programme_id) WHERE programme_id IS NOT NULL;

-- An organisation requires a resource or programme of some of its people. Group audiences (staff group, job role,
-- team, everyone) are resolved against current memberships when read, so new starters are included.
CREATE TABLE assignments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  resource_id uuid REFERENCES resources(id) ON DELETE CASCADE,
  programme_id uuid REFERENCES programmes(id) ON DELETE CASCADE,
  audience text NOT NULL CHECK (audience IN ('people', 'staff_group', 'job_role', 'team', 'everyone')),
  audience_value text,                       -- the staff group, job role or team (case-insensitive); null otherwise
  mandatory boolean NOT NULL DEFAULT true,
  due_days integer NOT NULL DEFAULT 30 CHECK (due_days BETWEEN 0 AND 3650),  -- from assignment (or joining)
  recertify_months integer CHECK (recertify_months > 0),  -- completions older than this must be renewed
  reminder_days integer[] NOT NULL DEFAULT '{30,7}',       -- remind this many days before due or expiry
  assigned_by uuid REFERENCES people(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz,
  CHECK ((resource_id IS NULL) <> (programme_id IS NULL)),
  CHECK ((audience IN ('people', 'everyone')) = (audience_value IS NULL))
);
CREATE INDEX assignments_org ON assignments (organisation_id) WHERE withdrawn_at IS NULL;

CREATE TABLE assignment_people (
  assignment_id uuid NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  PRIMARY KEY (assignment_id, person_id)
);
CREATE INDEX assignment_people_person ON assignment_people (person_id);

-- Reminders sent, one per person, assignment, due date and lead time, so the reminder job never sends twice.
CREATE TABLE assignment_reminders (
  assignment_id uuid NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  due_at timestamptz NOT NULL,
  days_before integer NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (assignment_id, person_id, due_at, days_before)
);
