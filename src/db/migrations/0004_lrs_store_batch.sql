-- Stores a simple batch of statements (no attachments, no StatementRefs) in one call: insert the rows, claim their
-- ids, match the actors to people and merge the activity definitions into the canonical ones
-- (statements.fast.store.ts builds the input). A PL/pgSQL function, because PL/pgSQL keeps the plan of its query
-- for the life of the connection: planning this query took longer than a tenth of each batch's time in the
-- database (bench/lrs-ingest), and a plain statement is planned anew on every call. The plan is generic from the
-- first call on (plan_cache_mode): every call has the same shape, and custom plans were no better.
--
-- stored_ok is false, and nothing is written, when an earlier statement of the organisation targets one of the
-- batch's ids (a StatementRef that arrived first); an id already used fails the call with a unique violation.
-- Either way the caller stores the batch through the general path, in a transaction.
CREATE FUNCTION lrs_store_simple_batch(
  p_organisation_id uuid,
  p_client_id uuid,
  p_stored timestamptz,
  p_ids uuid[],
  p_rows jsonb,
  p_definitions jsonb
) RETURNS TABLE (stored_ok boolean, canonical_definitions jsonb)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RETURN QUERY
  WITH guard AS (
    SELECT NOT EXISTS (SELECT 1 FROM lrs_statements s WHERE s.organisation_id = p_organisation_id
      AND s.object_statement_id IS NOT NULL AND s.object_statement_id = ANY(p_ids)) AS ok
  ), input AS (
    SELECT t.*, nextval('lrs_statements_seq_seq'::regclass) AS seq
    FROM ROWS FROM (jsonb_to_recordset(p_rows) AS (statement_id uuid, email text, account uuid, actor_key text,
      object_agent_key text, member_keys text[], verb_id text, object_activity_id text, object_statement_id uuid,
      registration uuid, related_agents text[], related_activities text[], is_voiding boolean, statement jsonb))
      WITH ORDINALITY AS t(statement_id, email, account, actor_key, object_agent_key, member_keys, verb_id,
        object_activity_id, object_statement_id, registration, related_agents, related_activities, is_voiding,
        statement, ord)
    WHERE (SELECT g.ok FROM guard g)
    ORDER BY t.ord
  ), claimed AS (
    INSERT INTO lrs_statement_ids (statement_id, organisation_id, seq, stored)
    SELECT i.statement_id, p_organisation_id, i.seq, p_stored FROM input i
    RETURNING 1
  ), inserted AS (
    INSERT INTO lrs_statements (seq, statement_id, stored, organisation_id, client_id, person_id, actor_key,
      object_agent_key, member_keys, verb_id, object_activity_id, object_statement_id, registration, related_agents,
      related_activities, is_voiding, statement)
    SELECT i.seq, i.statement_id, p_stored, p_organisation_id, p_client_id,
      coalesce((SELECT p.id FROM people p WHERE p.email = i.email), (SELECT p.id FROM people p WHERE p.id = i.account)),
      i.actor_key, i.object_agent_key, i.member_keys, i.verb_id, i.object_activity_id, i.object_statement_id,
      i.registration, i.related_agents, i.related_activities, i.is_voiding, i.statement
    FROM input i
    ORDER BY i.seq
    RETURNING 1
  ), received AS (
    SELECT d.activity_id, d.definition, a.definition AS canonical
    FROM jsonb_to_recordset(p_definitions) AS d(activity_id text, definition jsonb)
    LEFT JOIN lrs_activities a ON a.organisation_id = p_organisation_id AND a.activity_id = d.activity_id
    WHERE (SELECT g.ok FROM guard g)
  ), merged_definitions AS (
    SELECT r.activity_id, r.definition AS received_definition,
      lrs_merge_definition(r.canonical, r.definition) AS merged,
      r.canonical IS DISTINCT FROM lrs_merge_definition(r.canonical, r.definition) AS changed
    FROM received r
  ), defined AS (
    -- Only changed definitions are written, in id order so concurrent batches cannot deadlock, merged into the row
    -- as it is then (lrs_merge_definition), so no concurrent update is lost.
    INSERT INTO lrs_activities AS a (organisation_id, activity_id, definition, updated_at)
    SELECT p_organisation_id, m.activity_id, m.received_definition, now() FROM merged_definitions m WHERE m.changed
    ORDER BY m.activity_id
    ON CONFLICT (organisation_id, activity_id) DO UPDATE
      SET definition = lrs_merge_definition(a.definition, excluded.definition), updated_at = excluded.updated_at
    RETURNING a.activity_id, a.definition
  )
  SELECT (SELECT g.ok FROM guard g) AND (SELECT count(*) FROM claimed) = (SELECT count(*) FROM inserted)
    AND (SELECT count(*) FROM defined) >= 0,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(m.activity_id, coalesce(d.definition, m.merged))), '[]'::jsonb)
      FROM merged_definitions m LEFT JOIN defined d ON d.activity_id = m.activity_id);
END
$$;
