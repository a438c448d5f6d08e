// Storing and reading statements: the rules of the Statement Resource that need stored data (Communication 2.1,
// Data 2.3): ids used once, same-id resends compared, voiding, StatementRef filter inheritance, attachments by
// hash, canonical activity definitions, and who may read what.

import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { Conflict, Forbidden, Invalid } from '../../platform/errors.js';
import { definitionUnchanged, rememberDefinitions } from './activities.cache.js';
import { mergeDefinitions } from './activities.merge.js';
import { sameStatement } from './statements.compare.js';
import { filterKeysOf, statementKeys, type StatementKeys } from './statements.keys.js';
import { isUuid } from './xapi.formats.js';
import { isUniqueViolation } from '../../db/errors.js';
import { storeSimpleBatch, type SimpleRow } from './statements.fast.store.js';
import { claimAndInsertStatements, lookupForIngest } from './statements.ingest.store.js';
import {
  addRefFilterKeys,
  insertAttachments,
  markVoided,
  ownersOfStatementIds,
  statementsByIds,
  upsertActivityDefinitions,
  type StatementRow,
} from './statements.store.js';
import type { XapiActivity, XapiAgent, XapiStatement, XapiSubStatement } from './xapi.types.js';
import { actorKey } from './xapi.agents.js';
import type { ActorRestriction } from '../../platform/auth/api-clients.service.js';

/** Who is writing: the organisation, the API client (null for Tessera's own modules) and the authority to stamp. */
export interface StatementWriter {
  organisationId: string;
  clientId: string | null;
  authority: XapiAgent;
  /** Whether the writer's activity definitions update the canonical ones (the define scope). */
  mayDefine: boolean;
  /**
   * Whether the writer may void statements other clients stored (Data 2.3.2.s2.b4): Tessera's own modules and
   * clients with the all scope. Other clients void only their own statements.
   */
  mayVoidAny: boolean;
  /** Tessera's public URL: Agents with an account on this home page are Tessera people. */
  homePage: string;
  /** A credential acting for one learner (a cmi5 AU session): its statements must be that learner's. */
  restriction?: ActorRestriction;
}

/** Attachment content received with statements (multipart/mixed), keyed by its SHA-2 hash. */
export interface AttachmentPart {
  sha2: string;
  contentType: string;
  content: Buffer;
}

// Statements being written by this process, by the stored time they were given; Consistent-Through stays behind
// the oldest, so a reader never skips a statement that commits a moment later with an earlier stored time.
const inFlight = new Map<number, Date>();
let nextWrite = 0;

/** The time before which every statement stored through this process is readable (Communication 2.1.3.s2.b5). */
export function consistentThrough(): Date {
  let oldest = Date.now();
  for (const stored of inFlight.values()) oldest = Math.min(oldest, stored.getTime() - 1);
  return new Date(oldest);
}

/** The authority Tessera stamps on statements its own modules write. */
export function tesseraWriter(organisationId: string, homePage: string): StatementWriter {
  return {
    organisationId,
    clientId: null,
    authority: { objectType: 'Agent', name: 'Tessera', account: { homePage, name: 'tessera' } },
    mayDefine: true,
    mayVoidAny: true,
    homePage,
  };
}

function attachmentsOf(statement: XapiStatement): NonNullable<XapiStatement['attachments']> {
  const own = statement.attachments ?? [];
  const object = statement.object;
  return object.objectType === 'SubStatement' ? [...own, ...(object.attachments ?? [])] : own;
}

/** Attachments without a fileUrl must arrive as parts; parts nobody uses are refused (Communication 1.5.2.s3.b5). */
function checkAttachmentParts(statements: XapiStatement[], parts: AttachmentPart[]): void {
  const received = new Set(parts.map((p) => p.sha2));
  const used = new Set<string>();
  statements.forEach((statement, i) => {
    attachmentsOf(statement).forEach((attachment, j) => {
      used.add(attachment.sha2);
      if (attachment.fileUrl === undefined && !received.has(attachment.sha2)) {
        throw new Invalid(
          `Attachment ${j} of statement ${i} has no fileUrl and no part with X-Experience-API-Hash ${attachment.sha2} was sent (xAPI 1.0.3 Communication 1.5.2)`,
          {
            [`statements[${i}].attachments[${j}].sha2`]: 'must match the X-Experience-API-Hash of a part sent with it',
          },
        );
      }
    });
  });
  for (const part of parts) {
    if (!used.has(part.sha2)) {
      throw new Invalid(`The attachment part with hash ${part.sha2} belongs to no statement`, {
        attachments: `part ${part.sha2} is not named by any statement's attachments`,
      });
    }
  }
}

function activitiesWithDefinitions(statement: XapiStatement | XapiSubStatement, into: XapiActivity[]): void {
  const object = statement.object;
  if ((object.objectType === undefined || object.objectType === 'Activity') && 'definition' in object) {
    into.push(object);
  }
  if (object.objectType === 'SubStatement') activitiesWithDefinitions(object, into);
  const lists = statement.context?.contextActivities;
  for (const list of [lists?.parent, lists?.grouping, lists?.category, lists?.other]) {
    for (const activity of list ?? []) if (activity.definition !== undefined) into.push(activity);
  }
}

/** Canonical definitions changed by the batch's activities (merged into what is stored). */
function changedDefinitions(
  statements: XapiStatement[],
  existing: Map<string, Record<string, unknown>>,
): { activityId: string; definition: Record<string, unknown> }[] {
  const activities: XapiActivity[] = [];
  for (const statement of statements) activitiesWithDefinitions(statement, activities);
  const merged = new Map<string, Record<string, unknown>>();
  for (const activity of activities) {
    const before = merged.get(activity.id) ?? existing.get(activity.id) ?? {};
    merged.set(activity.id, mergeDefinitions(before, activity.definition as Record<string, unknown>));
  }
  return [...merged]
    .filter(([id, definition]) => JSON.stringify(existing.get(id)) !== JSON.stringify(definition))
    .map(([activityId, definition]) => ({ activityId, definition }));
}

/** Who each actor is in Tessera: by mbox (email) or by an account on Tessera's home page (person id). */
function personHandles(statement: XapiStatement, homePage: string): { email?: string; personId?: string } {
  const actor = statement.actor;
  if (actor.objectType === 'Group') return {};
  if (actor.mbox !== undefined) return { email: actor.mbox.slice('mailto:'.length).toLowerCase() };
  if (actor.account?.homePage === homePage && isUuid(actor.account.name)) {
    return { personId: actor.account.name.toLowerCase() };
  }
  return {};
}

/**
 * Stores validated statements for the writer, all or none, and returns their ids in order. Assigns id, stored,
 * timestamp and version where missing and stamps the writer's authority. A statement whose id is already stored
 * is not stored again: the same statement (Data 2.3.1.s9) is accepted, a different one is a 409, as is an id
 * another organisation used. Voiding statements void their targets; statements targeting others by StatementRef
 * inherit their targets' filter keys.
 */
export async function storeStatements(
  db: Db,
  writer: StatementWriter,
  input: XapiStatement[],
  parts: AttachmentPart[] = [],
): Promise<string[]> {
  const restriction = writer.restriction;
  if (restriction !== undefined) {
    // Before anything is stored: the actor, then the restriction owner's own rules; afterwards it is told.
    for (const [i, statement] of input.entries()) {
      if (actorKey(statement.actor) !== restriction.actorKey) {
        throw new Forbidden(
          `${restriction.label} may store statements only about its own learner; statement ${i} has another actor.`,
        );
      }
    }
    await restriction.check?.(input);
    const ids = await storeStatements(db, { ...writer, restriction: undefined }, input, parts);
    await restriction.stored?.(input);
    return ids;
  }
  if (input.length === 0) return [];
  checkAttachmentParts(input, parts);
  const stored = new Date();
  const storedText = stored.toISOString();
  // Object.assign rather than a spread: V8's spread slows down when later properties override earlier ones, and
  // this runs for every statement stored (bench/lrs-ingest).
  const statements = input.map((s) =>
    Object.assign({}, s, {
      id: s.id?.toLowerCase() ?? randomUUID(),
      timestamp: s.timestamp ?? storedText,
      stored: storedText,
      authority: writer.authority,
      version: s.version ?? '1.0.0',
    }),
  );
  const ids = statements.map((s) => s.id);
  const write = nextWrite++;
  inFlight.set(write, stored);
  try {
    if (parts.length === 0 && statements.every((st) => st.object.objectType !== 'StatementRef')) {
      if (await storeSimple(db, writer, statements, stored)) return ids;
    }
    let written: { activityId: string; definition: Record<string, unknown> }[] = [];
    await db.transaction().execute(async (trx) => {
      const handles = statements.map((st) => personHandles(st, writer.homePage));
      const activityIds = new Set<string>();
      if (writer.mayDefine) {
        const withDefinitions: XapiActivity[] = [];
        for (const st of statements) activitiesWithDefinitions(st, withDefinitions);
        for (const activity of withDefinitions) activityIds.add(activity.id);
      }
      const lookup = await lookupForIngest(trx, {
        organisationId: writer.organisationId,
        emails: [...new Set(handles.flatMap((h) => (h.email === undefined ? [] : [h.email])))],
        personIds: [...new Set(handles.flatMap((h) => (h.personId === undefined ? [] : [h.personId])))],
        statementIds: ids,
        activityIds: [...activityIds],
      });
      const people = handles.map((h) =>
        h.email !== undefined
          ? (lookup.peopleByEmail.get(h.email) ?? null)
          : h.personId !== undefined && lookup.people.has(h.personId)
            ? h.personId
            : null,
      );
      const built = await buildRows(trx, writer, statements, stored, people, lookup.referrers);
      const inserted = await claimAndInsertStatements(trx, writer.organisationId, writer.clientId, stored, built.rows);
      if (inserted.size < statements.length) {
        await checkResends(
          trx,
          writer,
          statements.filter((st) => !inserted.has(st.id)),
        );
      }
      if (inserted.size === 0) return;
      const fresh = statements.filter((st) => inserted.has(st.id));
      await markVoided(trx, writer.organisationId, built.voidTargets);
      for (const [statementId, late] of built.lateRefKeys) {
        if (inserted.has(late.target)) await addRefFilterKeys(trx, writer.organisationId, statementId, late.keys);
      }
      await insertAttachments(trx, writer.organisationId, parts);
      if (writer.mayDefine) {
        const changed = changedDefinitions(fresh, lookup.definitions);
        await upsertActivityDefinitions(trx, writer.organisationId, changed);
        written = changed;
      }
    });
    rememberDefinitions(
      db,
      writer.organisationId,
      written.map((d) => [d.activityId, d.definition]),
    );
  } finally {
    inFlight.delete(write);
  }
  return ids;
}

/**
 * The one-statement path for batches that need nothing but inserting (statements.fast.store.ts); false when the
 * batch has to take the general path after all.
 */
async function storeSimple(
  db: Db,
  writer: StatementWriter,
  statements: (XapiStatement & { id: string })[],
  stored: Date,
): Promise<boolean> {
  const rows = statements.map((statement): SimpleRow => {
    const handles = personHandles(statement, writer.homePage);
    return Object.assign(baseRow(statement, statementKeys(statement)), {
      email: handles.email ?? null,
      account: handles.personId ?? null,
    });
  });
  const definitions = new Map<string, Record<string, unknown>>();
  if (writer.mayDefine) {
    const activities: XapiActivity[] = [];
    for (const statement of statements) activitiesWithDefinitions(statement, activities);
    for (const activity of activities) {
      const before = definitions.get(activity.id) ?? {};
      definitions.set(activity.id, mergeDefinitions(before, activity.definition as Record<string, unknown>));
    }
  }
  const sorted = [...definitions]
    .filter(([id, definition]) => !definitionUnchanged(db, writer.organisationId, id, definition))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([activity_id, definition]) => ({ activity_id, definition }));
  try {
    const result = await storeSimpleBatch(db, writer.organisationId, writer.clientId, stored, rows, sorted);
    if (result.stored) rememberDefinitions(db, writer.organisationId, result.definitions);
    return result.stored;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** The columns of a statement's row that follow from the statement alone. */
function baseRow(
  statement: XapiStatement & { id: string },
  k: StatementKeys,
): Omit<StatementRow, 'stored' | 'organisation_id' | 'client_id' | 'person_id' | 'ref_filter_keys' | 'voided'> {
  return {
    statement_id: statement.id,
    actor_key: k.actorKey,
    object_agent_key: k.objectAgentKey,
    member_keys: k.memberKeys.length > 0 ? k.memberKeys : null,
    verb_id: k.verbId,
    object_activity_id: k.objectActivityId,
    object_statement_id: k.objectStatementId,
    registration: k.registration,
    related_agents: k.extraAgents,
    related_activities: k.extraActivities,
    is_voiding: k.isVoiding,
    statement,
  };
}

async function checkResends(
  db: Db,
  writer: StatementWriter,
  resent: (XapiStatement & { id: string })[],
): Promise<void> {
  const owners = await ownersOfStatementIds(
    db,
    resent.map((s) => s.id),
  );
  const ours = resent.filter((s) => owners.get(s.id) === writer.organisationId);
  const existing = new Map(
    (
      await statementsByIds(
        db,
        writer.organisationId,
        ours.map((s) => s.id),
      )
    ).map((s) => [s.statementId, s]),
  );
  for (const statement of resent) {
    const before = existing.get(statement.id);
    if (before === undefined || !sameStatement(before.statement, statement)) {
      throw new Conflict(
        `A different statement with id ${statement.id} is already stored; statements cannot be changed (xAPI 1.0.3 Communication 2.1.1)`,
        { id: 'is already used by a different statement' },
      );
    }
  }
}

async function buildRows(
  db: Db,
  writer: StatementWriter,
  statements: (XapiStatement & { id: string })[],
  stored: Date,
  people: (string | null)[],
  referrers: { statementId: string; target: string; isVoiding: boolean; clientId: string | null }[],
): Promise<{
  rows: StatementRow[];
  voidTargets: string[];
  lateRefKeys: Map<string, { target: string; keys: string[] }>;
}> {
  const keys = statements.map(statementKeys);
  const targetIds = [...new Set(keys.flatMap((k) => (k.objectStatementId === null ? [] : [k.objectStatementId])))];
  const inBatch = new Map<string, { keys: StatementKeys; index: number }>();
  statements.forEach((s, index) => inBatch.set(s.id, { keys: keys[index] as StatementKeys, index }));
  const storedTargets = await statementsByIds(
    db,
    writer.organisationId,
    targetIds.filter((id) => !inBatch.has(id)),
  );
  const targets = new Map(storedTargets.map((t) => [t.statementId, t]));
  const voided = new Set<string>();
  const voidTargets: string[] = [];
  // Only statements that are targeted need their own filter keys.
  const targeted = new Set([...targetIds, ...referrers.map((r) => r.target)]);
  const ownFilterKeys = keys.map((k, i) => (targeted.has(statements[i]?.id ?? '') ? filterKeysOf(k) : []));
  const refKeys: (string[] | null)[] = keys.map((k) => {
    if (k.objectStatementId === null) return null;
    const target = targets.get(k.objectStatementId);
    if (target !== undefined) return [...filterKeysOf(statementKeys(target.statement)), ...target.refFilterKeys];
    const batchTarget = inBatch.get(k.objectStatementId);
    return batchTarget === undefined ? null : (ownFilterKeys[batchTarget.index] ?? null);
  });
  keys.forEach((k) => {
    if (!k.isVoiding || k.objectStatementId === null) return;
    const target = targets.get(k.objectStatementId);
    if (target !== undefined && !target.isVoiding) {
      if (!writer.mayVoidAny && target.clientId !== writer.clientId) {
        throw new Forbidden(
          `Statement ${target.statementId} was stored by another client; an API client can void only the statements it stored, unless it has the all scope (xAPI 1.0.3 Data 2.3.2)`,
        );
      }
      voidTargets.push(target.statementId);
    }
    const batchTarget = inBatch.get(k.objectStatementId);
    if (batchTarget !== undefined && !batchTarget.keys.isVoiding) voided.add(k.objectStatementId);
  });
  // Statements stored earlier that target these new ones: a voiding one voids it, any one inherits its keys.
  const lateRefKeys = new Map<string, { target: string; keys: string[] }>();
  for (const referrer of referrers) {
    const target = inBatch.get(referrer.target);
    if (target === undefined) continue;
    // A voiding statement stored before its target voids it only when the same client (or Tessera) stores both.
    const sameWriter = referrer.clientId === null || referrer.clientId === writer.clientId;
    if (referrer.isVoiding && !target.keys.isVoiding && sameWriter) voided.add(referrer.target);
    lateRefKeys.set(referrer.statementId, { target: referrer.target, keys: ownFilterKeys[target.index] ?? [] });
  }
  const rows = statements.map((statement, i): StatementRow => {
    const ref = refKeys[i] ?? null;
    return {
      ...baseRow(statement, keys[i] as StatementKeys),
      stored,
      organisation_id: writer.organisationId,
      client_id: writer.clientId,
      person_id: people[i] ?? null,
      ref_filter_keys: ref === null || ref.length === 0 ? null : [...new Set(ref)],
      voided: voided.has(statement.id),
    };
  });
  return { rows, voidTargets, lateRefKeys };
}
