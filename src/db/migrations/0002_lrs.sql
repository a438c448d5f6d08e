-- The Learning Record Store (xAPI 1.0.3): statements, their attachments, canonical activity definitions, and the
-- learner's consent to share their record with an organisation.
--
-- Scale-out: lrs_statements grows without bound. It is designed to be hash-distributed by organisation_id (every
-- query an API client makes is confined to one organisation, so it routes to one shard) and range-partitioned by
-- stored: every unique index carries both columns. The one property that must hold across all partitions and
-- shards, that a statement id is never used twice, lives in lrs_statement_ids, keyed by the id alone.
-- No foreign keys on the statement tables: a check per row would halve ingest speed, and distributed tables
-- cannot reference each other anyway; the service writes organisation and person ids it has just read.

CREATE TABLE lrs_statement_ids (
  statement_id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL,
  stored timestamptz NOT NULL
);

CREATE TABLE lrs_statements (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  statement_id uuid NOT NULL,
  stored timestamptz NOT NULL,
  organisation_id uuid NOT NULL,          -- whose credential stored it (the authority's organisation)
  client_id uuid,                         -- the API client; null when a Tessera module wrote it
  person_id uuid,                         -- the Tessera person the actor is, when the LRS knows them
  actor_key text,                         -- objectType + identifier; null for an anonymous Group
  object_agent_key text,                  -- when the object is an Agent or identified Group
  member_keys text[],                     -- members of a Group actor or object (the agent filter matches them)
  verb_id text NOT NULL,
  object_activity_id text,                -- when the object is an Activity
  object_statement_id uuid,               -- when the object is a StatementRef (voiding included)
  registration uuid,
  related_agents text[],                  -- agents related_agents matches that no other column covers
  related_activities text[],              -- activities related_activities matches other than the object
  ref_filter_keys text[],                 -- filter keys of the statements this one targets (Communication 2.1.3)
  voided boolean NOT NULL DEFAULT false,
  is_voiding boolean NOT NULL DEFAULT false,
  statement jsonb NOT NULL,               -- as stored: the client's JSON plus id, stored, authority, version
  PRIMARY KEY (organisation_id, statement_id, stored)
);
CREATE INDEX lrs_statements_org_seq ON lrs_statements (organisation_id, seq);
CREATE INDEX lrs_statements_org_stored ON lrs_statements (organisation_id, stored);
CREATE INDEX lrs_statements_actor ON lrs_statements (organisation_id, actor_key, seq);
CREATE INDEX lrs_statements_object_agent ON lrs_statements (organisation_id, object_agent_key, seq)
  WHERE object_agent_key IS NOT NULL;
CREATE INDEX lrs_statements_members ON lrs_statements USING gin (member_keys) WHERE member_keys IS NOT NULL;
CREATE INDEX lrs_statements_verb ON lrs_statements (organisation_id, verb_id, seq);
CREATE INDEX lrs_statements_activity ON lrs_statements (organisation_id, object_activity_id, seq)
  WHERE object_activity_id IS NOT NULL;
CREATE INDEX lrs_statements_registration ON lrs_statements (organisation_id, registration, seq)
  WHERE registration IS NOT NULL;
CREATE INDEX lrs_statements_person ON lrs_statements (person_id, seq) WHERE person_id IS NOT NULL;
CREATE INDEX lrs_statements_target ON lrs_statements (organisation_id, object_statement_id)
  WHERE object_statement_id IS NOT NULL;
CREATE INDEX lrs_statements_client ON lrs_statements (organisation_id, client_id, seq);
CREATE INDEX lrs_statements_related_agents ON lrs_statements USING gin (related_agents)
  WHERE related_agents IS NOT NULL;
CREATE INDEX lrs_statements_related_activities ON lrs_statements USING gin (related_activities)
  WHERE related_activities IS NOT NULL;
CREATE INDEX lrs_statements_ref_filter ON lrs_statements USING gin (ref_filter_keys) WHERE ref_filter_keys IS NOT NULL;

-- Attachment content, stored once per hash (Communication 1.5.2); statements name it by sha2.
CREATE TABLE lrs_attachments (
  sha2 text PRIMARY KEY,
  content_type text NOT NULL,
  length bigint NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The canonical definition of each activity, merged from statements stored with the define scope.
CREATE TABLE lrs_activities (
  activity_id text PRIMARY KEY,
  definition jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A learner lets an organisation read their record (statements other organisations stored about them).
CREATE TABLE lrs_record_shares (
  person_id uuid NOT NULL REFERENCES people(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, organisation_id)
);
CREATE INDEX lrs_record_shares_org ON lrs_record_shares (organisation_id);
