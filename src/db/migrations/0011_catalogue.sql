-- The catalogue: catalogues (national and per organisation), learning resources with versions and a publishing
-- workflow, the files and packages (SCORM, cmi5) they are made of, access requests, ratings and bookmarks.

CREATE TABLE catalogues (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid REFERENCES organisations(id) ON DELETE CASCADE,  -- the owner; null for the national one
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  description text NOT NULL DEFAULT '',
  -- restricted: only the owner's members and people granted access see its resources
  visibility text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'restricted')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX catalogues_org_name ON catalogues (organisation_id, lower(name)) WHERE organisation_id IS NOT NULL;
CREATE UNIQUE INDEX catalogues_national_name ON catalogues (lower(name)) WHERE organisation_id IS NULL;

CREATE TABLE catalogue_access (
  catalogue_id uuid NOT NULL REFERENCES catalogues(id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('requested', 'granted', 'refused')),
  reason text NOT NULL DEFAULT '',           -- the requester's words
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_by uuid REFERENCES people(id) ON DELETE SET NULL,
  decided_at timestamptz,
  PRIMARY KEY (catalogue_id, person_id)
);
CREATE INDEX catalogue_access_pending ON catalogue_access (catalogue_id, requested_at) WHERE status = 'requested';

-- Files stored in the database (documents, media, captions, images), so a backup is one database dump and an
-- upload that fails leaves nothing behind. Package content has its own table below.
CREATE TABLE stored_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid REFERENCES organisations(id) ON DELETE CASCADE,
  filename text NOT NULL,
  content_type text NOT NULL,
  size_bytes bigint NOT NULL,
  sha256 text NOT NULL,
  content bytea NOT NULL,
  created_by uuid REFERENCES people(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A SCORM 1.2, SCORM 2004 or cmi5 package as read from its zip: the parsed structure and every file.
CREATE TABLE packages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('scorm12', 'scorm2004', 'cmi5')),
  structure jsonb NOT NULL,                  -- PackageStructure (packages/package.types.ts)
  size_bytes bigint NOT NULL,                -- the uploaded zip
  sha256 text NOT NULL,
  created_by uuid REFERENCES people(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE package_files (
  package_id uuid NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
  path text NOT NULL,                        -- relative to the package root, '/'-separated, no '..'
  content_type text NOT NULL,
  content bytea NOT NULL,
  PRIMARY KEY (package_id, path)
);

CREATE TABLE resources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  catalogue_id uuid NOT NULL REFERENCES catalogues(id),
  organisation_id uuid REFERENCES organisations(id) ON DELETE CASCADE,  -- the catalogue's owner, for access checks
  type text NOT NULL CHECK (type IN ('scorm12', 'scorm2004', 'cmi5', 'video', 'audio', 'document', 'image', 'link',
    'article', 'assessment')),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'published', 'retired')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '',
  keywords text[] NOT NULL DEFAULT '{}',
  audience_staff_groups text[] NOT NULL DEFAULT '{}',
  audience_job_roles text[] NOT NULL DEFAULT '{}',
  competencies uuid[] NOT NULL DEFAULT '{}', -- competency_items.identifier (CASE item ids, shared by versions)
  duration_minutes integer CHECK (duration_minutes > 0),
  provider text,
  licence text,
  review_date date,
  validity_months integer CHECK (validity_months > 0),  -- how long a completion counts; null: for ever
  current_version_id uuid,                   -- the version new learners start; set on publishing
  rating_count integer NOT NULL DEFAULT 0,
  rating_total integer NOT NULL DEFAULT 0,
  search tsvector NOT NULL DEFAULT ''::tsvector,
  created_by uuid REFERENCES people(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  submitted_by uuid REFERENCES people(id) ON DELETE SET NULL,  -- who sent it for review
  reviewed_by uuid REFERENCES people(id) ON DELETE SET NULL    -- who published it
);
-- Search: title weighs most, then keywords, then description and provider.
CREATE FUNCTION resources_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search :=
    setweight(to_tsvector('english', NEW.title), 'A') ||
    setweight(to_tsvector('english', array_to_string(NEW.keywords, ' ')), 'B') ||
    setweight(to_tsvector('english', NEW.description), 'C') ||
    setweight(to_tsvector('simple', coalesce(NEW.provider, '')), 'D');
  RETURN NEW;
END $$;
CREATE TRIGGER resources_search BEFORE INSERT OR UPDATE OF title, keywords, description, provider ON resources
  FOR EACH ROW EXECUTE FUNCTION resources_search_vector();
CREATE INDEX resources_search ON resources USING gin (search);
CREATE INDEX resources_catalogue ON resources (catalogue_id, status);
CREATE INDEX resources_published ON resources (published_at DESC) WHERE status = 'published';
CREATE INDEX resources_competencies ON resources USING gin (competencies);

-- Each version's content. Learners keep the version they started (learning_attempts.resource_version_id).
CREATE TABLE resource_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  resource_id uuid NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version > 0),
  -- by type: {url} link; {markdown} article; {fileId, captionsFileId?, transcript?} media and documents;
  -- {bank} assessment (quiz.types.ts); {} for packages (package_id says where)
  content jsonb NOT NULL,
  package_id uuid REFERENCES packages(id),
  notes text NOT NULL DEFAULT '',            -- what changed in this version
  created_by uuid REFERENCES people(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (resource_id, version)
);
ALTER TABLE resources ADD CONSTRAINT resources_current_version
  FOREIGN KEY (current_version_id) REFERENCES resource_versions(id);

CREATE TABLE resource_ratings (
  resource_id uuid NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  stars integer NOT NULL CHECK (stars BETWEEN 1 AND 5),
  review text NOT NULL DEFAULT '' CHECK (length(review) <= 2000),
  hidden boolean NOT NULL DEFAULT false,     -- a moderator hid the review's text
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (resource_id, person_id)
);
CREATE INDEX resource_ratings_recent ON resource_ratings (resource_id, updated_at DESC);

CREATE TABLE bookmarks (
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  resource_id uuid NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, resource_id)
);
