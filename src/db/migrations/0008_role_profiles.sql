-- Role profiles: the competency framework items, and the levels of them, that a job role needs (for example
-- "Band 5 staff nurse"). The self-assessment compares a learner's answers with the profile that applies to them.
--
-- Requirements name items by their CASE identifiers (framework and item), which every version of a framework
-- shares, so a profile keeps working when a new version of the framework is imported.

CREATE TABLE role_profiles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid REFERENCES organisations(id) ON DELETE CASCADE,  -- the owner; null for national profiles
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  description text,
  staff_group text,                         -- matched case-insensitively against memberships.staff_group
  job_role text,                            -- matched case-insensitively against memberships.job_role
  created_by uuid REFERENCES people(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One name per owner, whatever its case; national profiles (no owner) share one namespace.
CREATE UNIQUE INDEX role_profiles_org_name ON role_profiles (organisation_id, lower(name))
  WHERE organisation_id IS NOT NULL;
CREATE UNIQUE INDEX role_profiles_national_name ON role_profiles (lower(name)) WHERE organisation_id IS NULL;

CREATE TABLE role_profile_requirements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  profile_id uuid NOT NULL REFERENCES role_profiles(id) ON DELETE CASCADE,
  framework_identifier uuid NOT NULL,       -- competency_frameworks.identifier (any version)
  item_identifier uuid NOT NULL,            -- competency_items.identifier (any version)
  level integer,                            -- a level of the framework's scale; null: any level
  position integer NOT NULL,                -- order in the profile
  UNIQUE (profile_id, framework_identifier, item_identifier)
);
CREATE INDEX role_profile_requirements_order ON role_profile_requirements (profile_id, position);

-- The profile a person chose for themselves; without one, the profile matching their job role applies.
CREATE TABLE role_profile_choices (
  person_id uuid PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  profile_id uuid NOT NULL REFERENCES role_profiles(id) ON DELETE CASCADE,
  chosen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX role_profile_choices_profile ON role_profile_choices (profile_id);
