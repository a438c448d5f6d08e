-- Organisational self-assessments: the action plan an organisation keeps against the domains of a self-assessment
-- it answers (the knowledge mobilisation and technology-enhanced learning maturity assessments). The answers and
-- results themselves are assessment_responses rows with organisation_id set (0006_self_assessment.sql).
--
-- An action names its domain by the tool's group key and by the domain's framework item identifier, which every
-- version of the tool shares, so the plan carries on across new versions of the questions.

CREATE TABLE organisation_assessment_actions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  tool_key text NOT NULL,                    -- assessment_tools.key (any version)
  group_key text NOT NULL,                   -- the domain's question group, e.g. 'domain-3'
  item_identifier uuid,                      -- the domain's framework item (CASE identifier), when it has one
  action text NOT NULL CHECK (length(action) BETWEEN 1 AND 500),
  owner_name text CHECK (length(owner_name) BETWEEN 1 AND 100),
  due_date date,
  status text NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'done')),
  created_by uuid REFERENCES people(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES people(id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisation_assessment_actions_plan
  ON organisation_assessment_actions (organisation_id, tool_key, group_key, created_at);

