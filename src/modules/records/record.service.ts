// The learning record as people see it: a learner's own timeline and exports, whom they share it with, and an
// organisation admin's view of what their organisation has stored. Every function decides who may see what; the
// learner's record is always the signed-in person's own, never one named by a parameter.

import type { Db } from '../../db/connection.js';
import { requireRole, type Principal } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit.js';
import { listApiClients, type ApiClientView } from '../../platform/auth/api-clients.service.js';
import { Forbidden, Invalid } from '../../platform/errors.js';
import { findOrganisationById, organisationForAdmin, personProfileFor } from '../identity/identity.service.js';
import {
  describeForOrganisation,
  describeStatement,
  experiencedAt,
  londonDate,
  londonDay,
  londonDayStart,
  pickLanguage,
  verbText,
  type StatementDescription,
} from './record.describe.js';
import * as store from './record.store.js';
import { queryStatementRows } from './statements.query.store.js';
import { canonicalDefinitions } from './statements.read.js';
import { VOIDED_VERB, type XapiStatement } from './xapi.types.js';

/** Statements on one page of the timeline. */
export const TIMELINE_PAGE_SIZE = 20;
/** Statements read from the LRS at a time while filtering or exporting. */
const SCAN_SIZE = 500;

/** What the learner asked to see: one verb, and the days the learning happened (from inclusive, to exclusive). */
export interface RecordFilter {
  verbId?: string;
  from?: Date;
  to?: Date;
}

/** Where a timeline page starts: older than `after`, or newer than `before` (statement sequence numbers). */
export interface RecordCursor {
  after?: number;
  before?: number;
}

/** A line of the timeline or the export: the description and the organisation that recorded it. */
export interface RecordLine extends StatementDescription {
  organisation: string;
}

export interface TimelinePage {
  lines: RecordLine[];
  /** Cursor for newer lines (the Previous link), when there are any. */
  newer?: number;
  /** Cursor for older lines (the Next link), when there are any. */
  older?: number;
}

interface Row {
  seq: number;
  statement: XapiStatement;
}

function matches(statement: XapiStatement, filter: RecordFilter): boolean {
  if (statement.verb.id === VOIDED_VERB) return false;
  // The LRS query also returns statements that refer to a matching one; the learner asked for this verb only.
  if (filter.verbId !== undefined && statement.verb.id !== filter.verbId) return false;
  if (filter.from === undefined && filter.to === undefined) return true;
  const at = experiencedAt(statement)?.getTime();
  if (at === undefined) return false;
  return (
    (filter.from === undefined || at >= filter.from.getTime()) && (filter.to === undefined || at < filter.to.getTime())
  );
}

/**
 * The person's statements that match the filter, in stored order from a cursor (exclusive), at most `want` of
 * them. Reads the LRS in pages: the date filter is on when the learning happened (the timestamp), which the
 * LRS query does not index, so pages are filtered here.
 */
async function matchingRows(
  db: Db,
  personId: string,
  filter: RecordFilter,
  start: { ascending: boolean; afterSeq?: number },
  want: number,
): Promise<Row[]> {
  const found: Row[] = [];
  let afterSeq = start.afterSeq;
  for (;;) {
    const rows = await queryStatementRows(
      db,
      { kind: 'person', personId },
      {
        relatedAgents: false,
        relatedActivities: false,
        ascending: start.ascending,
        ...(filter.verbId !== undefined ? { verbId: filter.verbId } : {}),
        ...(afterSeq !== undefined ? { afterSeq } : {}),
      },
      SCAN_SIZE,
    );
    const page = rows.slice(0, SCAN_SIZE);
    for (const row of page) {
      const statement = row.statement as unknown as XapiStatement;
      if (!matches(statement, filter)) continue;
      found.push({ seq: row.seq, statement });
      if (found.length >= want) return found;
    }
    if (rows.length <= SCAN_SIZE) return found;
    afterSeq = page[page.length - 1]?.seq;
  }
}

/**
 * Names of activities sent without one, from the canonical definitions of the organisation that stored each
 * statement (definitions are kept per organisation).
 */
async function activityNames(
  db: Db,
  statements: XapiStatement[],
  organisationOf: (statement: XapiStatement) => string | undefined,
): Promise<Map<string, string>> {
  const unnamed = new Map<string, string[]>();
  for (const s of statements) {
    const organisationId = organisationOf(s);
    if (organisationId === undefined) continue;
    if (
      (s.object.objectType === undefined || s.object.objectType === 'Activity') &&
      pickLanguage(s.object.definition?.name) === undefined
    ) {
      unnamed.set(organisationId, [...(unnamed.get(organisationId) ?? []), s.object.id]);
    }
  }
  const names = new Map<string, string>();
  for (const [organisationId, ids] of unnamed) {
    for (const [id, definition] of await canonicalDefinitions(db, organisationId, ids)) {
      const name = pickLanguage(definition.name as Record<string, string> | undefined);
      if (name !== undefined && !names.has(id)) names.set(id, name);
    }
  }
  return names;
}

/** Describes statements with the names of the organisations that stored them. */
async function linesOf(
  db: Db,
  statements: XapiStatement[],
  organisationNames: Map<string, string>,
): Promise<RecordLine[]> {
  const owners = await store.organisationsOfStatements(
    db,
    statements.map((s) => s.id ?? ''),
  );
  const names = await activityNames(db, statements, (s) => owners.get(s.id ?? ''));
  for (const organisationId of new Set(owners.values())) {
    if (organisationNames.has(organisationId)) continue;
    const org = await findOrganisationById(db, organisationId);
    organisationNames.set(organisationId, org?.name ?? 'An organisation no longer on Tessera');
  }
  return statements.map((statement) => ({
    ...describeStatement(statement, names),
    organisation: organisationNames.get(owners.get(statement.id ?? '') ?? '') ?? '',
  }));
}

/**
 * One page of the signed-in person's own timeline, newest first: TIMELINE_PAGE_SIZE lines older than cursor.after,
 * or the page just newer than cursor.before (the first page when fewer than a page are newer).
 */
export async function timelinePage(
  db: Db,
  principal: Principal,
  filter: RecordFilter,
  cursor: RecordCursor,
): Promise<TimelinePage> {
  const personId = principal.personId;
  const orgNames = new Map<string, string>();
  if (cursor.before !== undefined) {
    const newer = await matchingRows(
      db,
      personId,
      filter,
      { ascending: true, afterSeq: cursor.before },
      TIMELINE_PAGE_SIZE + 1,
    );
    if (newer.length > TIMELINE_PAGE_SIZE) {
      const rows = newer.slice(0, TIMELINE_PAGE_SIZE).reverse();
      return {
        lines: await linesOf(
          db,
          rows.map((r) => r.statement),
          orgNames,
        ),
        newer: rows[0]?.seq,
        older: rows[rows.length - 1]?.seq,
      };
    }
    return timelinePage(db, principal, filter, {});
  }
  const rows = await matchingRows(
    db,
    personId,
    filter,
    { ascending: false, ...(cursor.after !== undefined ? { afterSeq: cursor.after } : {}) },
    TIMELINE_PAGE_SIZE + 1,
  );
  const shown = rows.slice(0, TIMELINE_PAGE_SIZE);
  return {
    lines: await linesOf(
      db,
      shown.map((r) => r.statement),
      orgNames,
    ),
    ...(cursor.after !== undefined && shown.length > 0 ? { newer: shown[0]?.seq } : {}),
    ...(cursor.after !== undefined && shown.length === 0 ? { newer: cursor.after } : {}),
    ...(rows.length > TIMELINE_PAGE_SIZE ? { older: shown[shown.length - 1]?.seq } : {}),
  };
}

/** Every statement of the signed-in person's own record that matches the filter, newest first, with its line. */
export async function exportRecord(
  db: Db,
  principal: Principal,
  filter: RecordFilter,
): Promise<{ statements: XapiStatement[]; lines: RecordLine[] }> {
  const statements: XapiStatement[] = [];
  const lines: RecordLine[] = [];
  const orgNames = new Map<string, string>();
  let afterSeq: number | undefined;
  for (;;) {
    const rows = await matchingRows(
      db,
      principal.personId,
      filter,
      { ascending: false, ...(afterSeq !== undefined ? { afterSeq } : {}) },
      SCAN_SIZE,
    );
    const batch = rows.map((r) => r.statement);
    statements.push(...batch);
    lines.push(...(await linesOf(db, batch, orgNames)));
    if (rows.length < SCAN_SIZE) return { statements, lines };
    afterSeq = rows[rows.length - 1]?.seq;
  }
}

/** The verbs in the signed-in person's record, for the filter: IRI and text, in alphabetical order. */
export async function verbsInRecord(db: Db, principal: Principal): Promise<{ value: string; text: string }[]> {
  const verbs = await store.verbsOfPerson(db, principal.personId);
  return verbs
    .map((v) => {
      const text = verbText({ id: v.verbId, ...(v.display !== null ? { display: v.display } : {}) });
      return { value: v.verbId, text: text.charAt(0).toUpperCase() + text.slice(1) };
    })
    .sort((a, b) => a.text.localeCompare(b.text, 'en-GB'));
}

/** An organisation the person belongs or belonged to, and whether they share their record with it. */
export interface SharingChoice {
  organisationId: string;
  code: string;
  name: string;
  current: boolean;
  shared: boolean;
}

async function organisationsOf(db: Db, principal: Principal): Promise<Omit<SharingChoice, 'shared'>[]> {
  const profile = await personProfileFor(db, principal, principal.personId);
  const byId = new Map<string, Omit<SharingChoice, 'shared'>>();
  for (const m of profile.memberships) {
    const current = m.endDate === null || m.endDate > londonDay(new Date());
    const before = byId.get(m.organisationId);
    byId.set(m.organisationId, {
      organisationId: m.organisationId,
      code: m.organisationCode,
      name: m.organisationName,
      current: current || (before?.current ?? false),
    });
  }
  return [...byId.values()].sort((a, b) => Number(b.current) - Number(a.current) || a.name.localeCompare(b.name));
}

/** The signed-in person's organisations (current first, then past), each with whether their record is shared. */
export async function sharingChoices(db: Db, principal: Principal): Promise<SharingChoice[]> {
  const [organisations, shares] = await Promise.all([
    organisationsOf(db, principal),
    store.sharesOf(db, principal.personId),
  ]);
  return organisations.map((o) => ({ ...o, shared: shares.has(o.organisationId) }));
}

/**
 * Shares (or stops sharing) a person's record with an organisation they belong or belonged to. Only the person
 * themselves may decide. A change is audited ('record_shared' / 'record_unshared'); asking for what is already so
 * changes nothing. Returns the organisation's name.
 */
export async function setRecordSharing(
  db: Db,
  actor: { principal: Principal; ip?: string | null; requestId?: string | null },
  personId: string,
  organisationId: string,
  share: boolean,
): Promise<string> {
  if (actor.principal.personId !== personId) throw new Forbidden('Only you can decide who sees your learning record.');
  const organisation = (await organisationsOf(db, actor.principal)).find((o) => o.organisationId === organisationId);
  if (organisation === undefined) {
    throw new Invalid('You can share your record only with an organisation you belong to or used to belong to.', {
      organisation: 'Choose one of your organisations',
    });
  }
  await db.transaction().execute(async (trx) => {
    const changed = share
      ? await store.addShare(trx, personId, organisationId)
      : await store.removeShare(trx, personId, organisationId);
    if (!changed) return;
    await recordAudit(trx, {
      action: share ? 'record_shared' : 'record_unshared',
      actorPersonId: actor.principal.personId,
      subjectPersonId: personId,
      organisationId,
      ip: actor.ip ?? null,
      requestId: actor.requestId ?? null,
    });
  });
  return organisation.name;
}

/** What an organisation has stored in the LRS, for its admins. */
export interface OrganisationRecordOverview {
  org: { id: string; code: string; name: string };
  clients: ApiClientView[];
  /** The last 14 days in Europe/London, newest first, with how many statements were stored on each. */
  days: { day: string; label: string; count: number }[];
  /** Statements stored in those 14 days by each API client (or Tessera itself). */
  perClient: { name: string; count: number }[];
  /** The 20 statements stored most recently, in plain language, naming no email address. */
  recent: (StatementDescription & { storedBy: string })[];
}

/**
 * The learning record overview of an organisation for its admins (and platform admins): 404 for organisations
 * the person is not a member of, 403 for members who are not its admins.
 */
export async function organisationRecordOverview(
  db: Db,
  principal: Principal,
  code: string,
  now: Date = new Date(),
): Promise<OrganisationRecordOverview> {
  const org = await organisationForAdmin(db, principal, code);
  requireRole(principal, org.id, ['org_admin']);
  const [year, month, day] = londonDay(now).split('-').map(Number) as [number, number, number];
  const since = londonDayStart(year, month, day - 13);
  const [clients, daily, perClient, recent] = await Promise.all([
    listApiClients(db, principal, org.id),
    store.dailyCounts(db, org.id, since),
    store.clientCounts(db, org.id, since),
    store.recentStatements(db, org.id, 20),
  ]);
  const days = Array.from({ length: 14 }, (_, i) => {
    const key = new Date(Date.UTC(year, month - 1, day - i)).toISOString().slice(0, 10);
    const [y, m, d] = key.split('-').map(Number) as [number, number, number];
    return { day: key, label: londonDate(londonDayStart(y, m, d)), count: daily.get(key) ?? 0 };
  });
  const clientName = (id: string | null) =>
    id === null ? 'Tessera' : (clients.find((c) => c.id === id)?.name ?? 'An API client');
  const names = await activityNames(
    db,
    recent.map((r) => r.statement),
    () => org.id,
  );
  return {
    org: { id: org.id, code: org.code, name: org.name },
    clients,
    days,
    perClient: perClient.map((c) => ({ name: clientName(c.clientId), count: c.count })),
    recent: recent.map((r) => ({ ...describeForOrganisation(r.statement, names), storedBy: clientName(r.clientId) })),
  };
}
