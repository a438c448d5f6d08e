-- Self-assessment: questionnaires ("tools") bound to the items of a competency framework, answered by a person
-- (the digital skills self-assessment) or by an organisation (organisational self-assessments), on one engine.
-- A tool's groups and questions are one JSON definition (assessments.types.ts), versioned with the tool, so a
-- response always reads against the questions it was answered with.

CREATE TABLE assessment_tools (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL,                         -- e.g. 'digital-skills'; the same in every version
  version integer NOT NULL CHECK (version > 0),
  respondent text NOT NULL CHECK (respondent IN ('person', 'organisation')),
  title text NOT NULL,
  description text NOT NULL,
  framework_identifier uuid NOT NULL,        -- the framework (CASE identifier) its questions are bound to
  paging text NOT NULL CHECK (paging IN ('question', 'group')),
  definition jsonb NOT NULL,                 -- scale, groups and questions
  organisation_id uuid REFERENCES organisations(id),  -- null: national, open to everyone
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (key, version)
);

CREATE TABLE assessment_responses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tool_id uuid NOT NULL REFERENCES assessment_tools(id),
  person_id uuid NOT NULL REFERENCES people(id),       -- who answered
  organisation_id uuid REFERENCES organisations(id),   -- the organisation answering (organisation tools only)
  status text NOT NULL CHECK (status IN ('in_progress', 'submitted')),
  answers jsonb NOT NULL DEFAULT '{}',                 -- question key -> answer
  results jsonb,                                       -- computed when submitted (assessments.engine.ts)
  -- The learner's consent for their results to count in their organisations' reports (as aggregates only).
  shared_with_organisation boolean NOT NULL DEFAULT false,
  started_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  submitted_at timestamptz
);
-- One response in progress per person (person tools) or per organisation (organisation tools) and tool.
CREATE UNIQUE INDEX assessment_responses_open_person ON assessment_responses (tool_id, person_id)
  WHERE status = 'in_progress' AND organisation_id IS NULL;
CREATE UNIQUE INDEX assessment_responses_open_organisation ON assessment_responses (tool_id, organisation_id)
  WHERE status = 'in_progress' AND organisation_id IS NOT NULL;
CREATE INDEX assessment_responses_person ON assessment_responses (person_id, tool_id, submitted_at);
CREATE INDEX assessment_responses_organisation ON assessment_responses (organisation_id, tool_id, submitted_at)
  WHERE organisation_id IS NOT NULL;

-- Learning signposted from a framework item: what to do about a gap. National (organisation_id null) or an
-- organisation's own; the catalogue will add its resources here too (resource_id).
CREATE TABLE competency_signposts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid REFERENCES organisations(id),
  framework_identifier uuid NOT NULL,
  item_identifier uuid NOT NULL,
  title text NOT NULL,
  url text NOT NULL,
  description text,
  provider text,
  resource_id uuid,
  created_by uuid REFERENCES people(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX competency_signposts_item ON competency_signposts (framework_identifier, item_identifier);
