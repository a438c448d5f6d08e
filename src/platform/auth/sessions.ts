import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import { newToken, tokenHash } from '../secrets.js';

export interface SessionPolicy {
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
}

/** Starts a server-side session; returns the token for the cookie (only its hash is stored). */
export async function createSession(
  db: Db,
  policy: SessionPolicy,
  personId: string,
  meta: { userAgent?: string | undefined; ip?: string | undefined },
): Promise<string> {
  const token = newToken();
  await db
    .insertInto('sessions')
    .values({
      id_hash: tokenHash(token),
      person_id: personId,
      expires_at: new Date(Date.now() + policy.sessionAbsoluteHours * 3600_000),
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      ip: meta.ip ?? null,
    })
    .execute();
  return token;
}

/**
 * The person a session token belongs to, if the session is live: not past its absolute expiry and used
 * within the idle limit. Touches last_seen_at at most once a minute.
 */
export async function resolveSession(db: Db, policy: SessionPolicy, token: string): Promise<string | undefined> {
  const idHash = tokenHash(token);
  const session = await db
    .selectFrom('sessions')
    .select(['person_id', 'last_seen_at', 'expires_at'])
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  if (session === undefined) return undefined;
  const now = Date.now();
  if (
    session.expires_at.getTime() <= now ||
    session.last_seen_at.getTime() + policy.sessionIdleMinutes * 60_000 <= now
  ) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return undefined;
  }
  if (now - session.last_seen_at.getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id_hash', '=', idHash).execute();
  }
  return session.person_id;
}

/** Ends one session. */
export async function endSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', tokenHash(token)).execute();
}

/** Ends every session of the person, on every device. Returns how many ended. */
export async function endAllSessions(db: Db, personId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('person_id', '=', personId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface SessionView {
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

/** The person's live sessions, newest first, marking the one making this request. */
export async function listSessions(db: Db, personId: string, currentToken: string | undefined): Promise<SessionView[]> {
  const current = currentToken === undefined ? '' : tokenHash(currentToken);
  const rows = await db
    .selectFrom('sessions')
    .select(['id_hash', 'created_at', 'last_seen_at', 'user_agent', 'ip'])
    .where('person_id', '=', personId)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    userAgent: r.user_agent,
    ip: r.ip,
    current: r.id_hash === current,
  }));
}

/** Ends every session of the person except the one with keepToken (after a password change). */
export async function endOtherSessions(db: Db, personId: string, keepToken: string): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('person_id', '=', personId)
    .where('id_hash', '!=', tokenHash(keepToken))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
