-- xAPI 1.0.3 documents (Communication 2.2): State, Activity Profile and Agent Profile, in one table.
--
-- Each document is found by its organisation, its context (kind + activity + agent) and, within the context, its
-- registration (state only) and id. The keys are SHA-256 hex digests of those values, computed by the service:
-- activity ids, agent identifiers and document ids are client strings of any length, and a btree entry holding
-- them raw could pass PostgreSQL's index row limit (about 2.7 kB); a digest also keeps a missing registration
-- (null) from making two rows distinct. The raw values are kept beside the keys, for reading and for filters.
--
-- Scale-out: organisation_id leads the primary key, so the table can be hash-distributed by it (Citus); every
-- request an API client makes is confined to its own organisation.

CREATE TABLE lrs_documents (
  organisation_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('state', 'activity_profile', 'agent_profile')),
  context_key text NOT NULL,     -- sha256(kind, activity id, agent key): what "list ids" and "delete all" name
  document_key text NOT NULL,    -- sha256(registration, document id): one document within the context
  activity_id text,              -- state and activity profile
  agent_key text,                -- state and agent profile: objectType + inverse functional identifier
  registration uuid,             -- state only, and optional there
  document_id text NOT NULL,     -- the stateId or profileId
  content_type text NOT NULL,
  content bytea NOT NULL,
  etag text NOT NULL,            -- SHA-1 hex of content (Communication 3.1.s4.b2), unquoted
  updated timestamptz NOT NULL,
  PRIMARY KEY (organisation_id, context_key, document_key)
);
