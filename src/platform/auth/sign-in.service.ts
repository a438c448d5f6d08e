import type { Config } from '../../config.js';
import type { Db } from '../../db/connection.js';
import * as people from '../../modules/identity/identity.store.js';
import { checkPassword, type FieldErrors } from '../../modules/identity/identity.validate.js';
import { recordAudit } from '../audit.js';
import { Invalid } from '../errors.js';
import type { Mailer } from '../mailer.js';
import { hashSecret, newToken, tokenHash, verifyAgainstNothing, verifySecret } from '../secrets.js';
import { endAllSessions, endOtherSessions } from './sessions.js';

export interface RequestMeta {
  ip?: string | undefined;
  requestId?: string | undefined;
  userAgent?: string | undefined;
}

const WRONG = 'Enter a correct email address and password';

/** A sign-in refused because the account is locked; says until when. */
export class AccountLocked extends Invalid {
  constructor(readonly until: Date) {
    super(lockedMessage(until), { email: 'This account is locked' });
  }
}

function lockedMessage(until: Date): string {
  return `This account is locked after too many failed sign-ins. Try again after ${until.toISOString().slice(11, 16)} UTC, or reset your password.`;
}

/** A password change refused because too many wrong current passwords locked the account; its sessions ended. */
export class SignedOutByLock extends AccountLocked {}

type LockoutPolicy = Pick<Config, 'signInMaxAttempts' | 'signInLockoutMinutes'>;

/**
 * Counts one wrong password against the person, audited as a failed sign-in with the reason given, and
 * locks the account (audited) once the count reaches the configured maximum. Sign-in and password change
 * both come through here, so guesses made either way share one counter and one lock. Returns the time the
 * lock ends when this failure locked the account.
 */
export async function recordWrongPassword(
  db: Db,
  config: LockoutPolicy,
  personId: string,
  reason: string,
  meta: RequestMeta,
): Promise<Date | undefined> {
  const audit = { ip: meta.ip ?? null, requestId: meta.requestId ?? null, subjectPersonId: personId };
  const failures = await people.incrementFailedSignIns(db, personId);
  await recordAudit(db, { action: 'sign_in_failed', ...audit, details: { reason, failures } });
  if (failures < config.signInMaxAttempts) return undefined;
  const until = new Date(Date.now() + config.signInLockoutMinutes * 60_000);
  await people.setLock(db, personId, until);
  await recordAudit(db, { action: 'account_locked', ...audit, details: { until: until.toISOString() } });
  return until;
}

function lockedNow(person: { locked_until: Date | null }): Date | undefined {
  return person.locked_until !== null && person.locked_until.getTime() > Date.now() ? person.locked_until : undefined;
}

/**
 * Checks an email and password. Counts failures per account and locks it for the configured time after
 * the configured number; every outcome is audited. Returns the person's id, or throws Invalid.
 */
export async function signInWithPassword(
  db: Db,
  config: LockoutPolicy,
  email: string,
  password: string,
  meta: RequestMeta,
): Promise<string> {
  const errors: FieldErrors = {};
  if (email.trim() === '') errors.email = 'Enter your email address';
  if (password === '') errors.password = 'Enter your password';
  if (Object.keys(errors).length > 0) throw new Invalid('There is a problem', errors);

  const person = await people.findPersonByEmail(db, email.trim());
  const audit = { ip: meta.ip ?? null, requestId: meta.requestId ?? null };
  if (person === undefined || person.password_hash === null) {
    await verifyAgainstNothing(password);
    await recordAudit(db, {
      action: 'sign_in_failed',
      ...audit,
      subjectPersonId: person?.id ?? null,
      details: { email: email.trim().toLowerCase(), reason: 'unknown account' },
    });
    throw new Invalid(WRONG, { email: WRONG });
  }
  const locked = lockedNow(person);
  if (locked !== undefined) {
    await recordAudit(db, {
      action: 'sign_in_failed',
      ...audit,
      subjectPersonId: person.id,
      details: { reason: 'locked' },
    });
    throw new AccountLocked(locked);
  }
  if (!(await verifySecret(password, person.password_hash))) {
    const until = await recordWrongPassword(db, config, person.id, 'wrong password', meta);
    if (until !== undefined) throw new AccountLocked(until);
    throw new Invalid(WRONG, { email: WRONG });
  }
  await people.clearFailedSignIns(db, person.id);
  await recordAudit(db, { action: 'sign_in', ...audit, actorPersonId: person.id, details: { method: 'password' } });
  return person.id;
}

const RESET_MINUTES = 60;

/**
 * Emails a one-time reset link if the address has an account. Answers the same either way, so the form
 * cannot be used to find out who has an account.
 */
export async function requestPasswordReset(
  db: Db,
  mailer: Mailer,
  publicUrl: string,
  email: string,
  meta: RequestMeta,
): Promise<void> {
  const errors: FieldErrors = {};
  if (email.trim() === '') errors.email = 'Enter your email address';
  if (Object.keys(errors).length > 0) throw new Invalid('There is a problem', errors);
  const person = await people.findPersonByEmail(db, email.trim());
  if (person === undefined) return;
  const token = newToken();
  await db
    .insertInto('password_reset_tokens')
    .values({
      token_hash: tokenHash(token),
      person_id: person.id,
      expires_at: new Date(Date.now() + RESET_MINUTES * 60_000),
    })
    .execute();
  await recordAudit(db, {
    action: 'password_reset_requested',
    subjectPersonId: person.id,
    ip: meta.ip ?? null,
    requestId: meta.requestId ?? null,
  });
  await mailer.send(db, {
    to: person.email,
    subject: 'Reset your Tessera password',
    body:
      `Hello ${person.given_name},\n\nUse this link within ${RESET_MINUTES} minutes to set a new password:\n` +
      `${publicUrl}/password-reset/${token}\n\nIf you did not ask for this, ignore this email; your password has not changed.\n`,
  });
}

/** True when the reset token is live (unused and not expired). */
export async function resetTokenIsLive(db: Db, token: string): Promise<boolean> {
  const row = await db
    .selectFrom('password_reset_tokens')
    .select(['expires_at', 'used_at'])
    .where('token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  return row !== undefined && row.used_at === null && row.expires_at.getTime() > Date.now();
}

/** Sets a new password with a live one-time token, unlocks the account and signs it out everywhere. */
export async function resetPassword(
  db: Db,
  token: string,
  password: string,
  confirm: string,
  meta: RequestMeta,
): Promise<void> {
  const errors: FieldErrors = {};
  checkPassword(errors, 'password', password);
  if (errors.password === undefined && password !== confirm) errors.confirm = 'Passwords do not match';
  if (Object.keys(errors).length > 0) throw new Invalid('There is a problem', errors);
  const passwordHash = await hashSecret(password);
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('password_reset_tokens')
      .set({ used_at: new Date() })
      .where('token_hash', '=', tokenHash(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date())
      .returning('person_id')
      .executeTakeFirst();
    if (row === undefined) {
      throw new Invalid('This password reset link has expired or has been used. Ask for a new one.', {
        password: 'Reset link expired or already used',
      });
    }
    await people.updatePerson(tx, row.person_id, { passwordHash });
    await endAllSessions(tx, row.person_id);
    await recordAudit(tx, {
      action: 'password_reset',
      subjectPersonId: row.person_id,
      actorPersonId: row.person_id,
      ip: meta.ip ?? null,
      requestId: meta.requestId ?? null,
    });
  });
}

/**
 * Changes a signed-in person's password after checking the current one, and signs them out of every other
 * session (a stolen session elsewhere should not outlive the change). A wrong current password counts as a
 * failed sign-in: when it locks the account every session of the person ends and SignedOutByLock is thrown,
 * so a stolen session cannot be used to guess the password. While the account is locked the current
 * password is not checked at all. People without a password (single sign-on only) are told to use password
 * reset instead.
 */
export async function changePassword(
  db: Db,
  config: LockoutPolicy,
  personId: string,
  sessionToken: string,
  input: { current: string; password: string; confirm: string },
  meta: RequestMeta,
): Promise<number> {
  const person = await people.findPersonById(db, personId);
  if (person === undefined) throw new Invalid('There is a problem', { current: 'Your account was not found' });
  const audit = { ip: meta.ip ?? null, requestId: meta.requestId ?? null };
  const locked = lockedNow(person);
  if (locked !== undefined) {
    await recordAudit(db, {
      action: 'sign_in_failed',
      ...audit,
      subjectPersonId: personId,
      details: { reason: 'locked (change password)' },
    });
    throw new Invalid(lockedMessage(locked), { current: 'This account is locked' });
  }
  const errors: FieldErrors = {};
  if (person.password_hash === null) {
    errors.current = 'Your account has no password yet: use “Forgotten your password?” on the sign-in page to set one';
  } else if (input.current === '') errors.current = 'Enter your current password';
  else if (await verifySecret(input.current, person.password_hash)) {
    if (person.failed_sign_ins > 0) await people.clearFailedSignIns(db, personId);
  } else {
    const until = await recordWrongPassword(db, config, personId, 'wrong current password (change password)', meta);
    if (until !== undefined) {
      await endAllSessions(db, personId);
      throw new SignedOutByLock(until);
    }
    errors.current = 'Your current password is wrong';
  }
  checkPassword(errors, 'password', input.password);
  if (errors.password === undefined && input.password !== input.confirm) errors.confirm = 'Passwords do not match';
  if (errors.password === undefined && input.password === input.current) {
    errors.password = 'Choose a new password that is different from your current one';
  }
  if (Object.keys(errors).length > 0) throw new Invalid('There is a problem', errors);
  const passwordHash = await hashSecret(input.password);
  return db.transaction().execute(async (tx) => {
    await people.updatePerson(tx, personId, { passwordHash });
    const ended = await endOtherSessions(tx, personId, sessionToken);
    await recordAudit(tx, {
      action: 'password_changed',
      actorPersonId: personId,
      subjectPersonId: personId,
      ...audit,
      details: { otherSessionsEnded: ended },
    });
    return ended;
  });
}
