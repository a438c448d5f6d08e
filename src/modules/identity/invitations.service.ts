import type { Db } from '../../db/connection.js';
import { requireRole, type Principal } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, Invalid, NotFound } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mailer.js';
import { hashSecret, newToken, tokenHash } from '../../platform/secrets.js';
import type { Actor } from './identity.service.js';
import * as store from './identity.store.js';
import { checkEmail, checkName, checkPassword, checkRoles, type FieldErrors } from './identity.validate.js';

const INVITATION_DAYS = 14;

export interface InvitationView {
  id: string;
  email: string;
  roles: string[];
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  status: 'Accepted' | 'Expired' | 'Waiting';
}

/**
 * Invites someone to an organisation with roles; org admins of it only. Emails a one-time link (and
 * returns it, so the admin can pass it on when email is not set up). An existing person joins on accepting.
 */
export async function inviteToOrganisation(
  db: Db,
  mailer: Mailer,
  publicUrl: string,
  actor: Actor & { principal: Principal },
  organisationId: string,
  input: { email: string; roles: string[] },
): Promise<{ link: string }> {
  requireRole(actor.principal, organisationId, ['org_admin']);
  const email = input.email.trim().toLowerCase();
  const errors: FieldErrors = {};
  checkEmail(errors, 'email', email);
  const roles = checkRoles(errors, 'roles', input.roles);
  if (roles.length === 0 && errors.roles === undefined) errors.roles = 'Select at least one role';
  if (Object.keys(errors).length > 0) throw new Invalid('There is a problem', errors);
  const org = await store.findOrganisationById(db, organisationId);
  if (org === undefined) throw new NotFound('Organisation not found');
  const token = newToken();
  await db
    .insertInto('invitations')
    .values({
      organisation_id: organisationId,
      email,
      roles,
      token_hash: tokenHash(token),
      invited_by: actor.principal.personId,
      expires_at: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
    })
    .execute();
  await recordAudit(db, {
    action: 'invitation_created',
    actorPersonId: actor.principal.personId,
    organisationId,
    ip: actor.ip,
    requestId: actor.requestId,
    details: { email, roles },
  });
  const link = `${publicUrl}/invitations/${token}`;
  await mailer.send(db, {
    to: email,
    subject: `You are invited to ${org.name} on Tessera`,
    body: `${actor.principal.givenName} ${actor.principal.familyName} has invited you to join ${org.name} on Tessera.\n\nAccept within ${INVITATION_DAYS} days: ${link}\n`,
  });
  return { link };
}

export async function listInvitations(db: Db, principal: Principal, organisationId: string): Promise<InvitationView[]> {
  requireRole(principal, organisationId, ['org_admin']);
  const rows = await db
    .selectFrom('invitations')
    .select(['id', 'email', 'roles', 'created_at as createdAt', 'expires_at as expiresAt', 'accepted_at as acceptedAt'])
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
  const now = Date.now();
  return rows.map((row) => ({
    ...row,
    status: row.acceptedAt !== null ? 'Accepted' : row.expiresAt.getTime() <= now ? 'Expired' : 'Waiting',
  }));
}

/** The invitation link was used already or has expired (HTTP 410 Gone). */
export class InvitationGone extends AppError {
  constructor() {
    super(410, 'gone', 'This invitation has expired or has already been used');
  }
}

export interface LiveInvitation {
  id: string;
  email: string;
  organisationId: string;
  organisationName: string;
  roles: string[];
  personExists: boolean;
}

/** The invitation behind a link, if it is unused and unexpired. */
export async function liveInvitation(db: Db, token: string): Promise<LiveInvitation | undefined> {
  const row = await db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .select(['i.id', 'i.email', 'i.organisation_id', 'o.name', 'i.roles', 'i.expires_at', 'i.accepted_at'])
    .where('i.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (row === undefined || row.accepted_at !== null || row.expires_at.getTime() <= Date.now()) return undefined;
  const person = await store.findPersonByEmail(db, row.email);
  return {
    id: row.id,
    email: row.email,
    organisationId: row.organisation_id,
    organisationName: row.name,
    roles: row.roles,
    personExists: person !== undefined,
  };
}

/**
 * Accepts an invitation. A new person sets their name and password; an existing person must be signed in
 * as the invited email. Either way they gain the membership and its roles. Returns the person's id.
 */
export async function acceptInvitation(
  db: Db,
  token: string,
  signedIn: Principal | undefined,
  input: { givenName: string; familyName: string; password: string },
  meta: { ip?: string | undefined; requestId?: string | undefined },
): Promise<string> {
  const invitation = await liveInvitation(db, token);
  if (invitation === undefined) throw new InvitationGone();
  let passwordHash: string | undefined;
  if (signedIn !== undefined && signedIn.email !== invitation.email) {
    // Accepting would give the invitation's roles to whoever happens to be signed in, not to the invitee.
    throw new Invalid(
      `You are signed in as ${signedIn.email}. Sign out to accept an invitation for ${invitation.email}`,
      {
        email: `Sign out first: this invitation is for ${invitation.email}`,
      },
    );
  }
  if (!invitation.personExists) {
    const errors: FieldErrors = {};
    checkName(errors, 'givenName', input.givenName.trim(), 'your first name');
    checkName(errors, 'familyName', input.familyName.trim(), 'your last name');
    checkPassword(errors, 'password', input.password);
    if (Object.keys(errors).length > 0) throw new Invalid('There is a problem', errors);
    passwordHash = await hashSecret(input.password);
  } else if (signedIn?.email !== invitation.email) {
    throw new Invalid(`Sign in as ${invitation.email} to accept this invitation`, {
      email: `Sign in as ${invitation.email}`,
    });
  }
  return db.transaction().execute(async (tx) => {
    const claimed = await tx
      .updateTable('invitations')
      .set({ accepted_at: new Date() })
      .where('id', '=', invitation.id)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) throw new InvitationGone();
    const existing = await store.findPersonByEmail(tx, invitation.email);
    const personId =
      existing?.id ??
      (await store.insertPerson(tx, {
        email: invitation.email,
        givenName: input.givenName.trim(),
        familyName: input.familyName.trim(),
        passwordHash: passwordHash ?? null,
      }));
    const current = await store.findMembership(tx, invitation.organisationId, personId);
    const roles = [...new Set([...(current?.endDate === null ? current.roles : []), ...invitation.roles])];
    await store.upsertMembership(tx, invitation.organisationId, personId, {
      roles: checkRoles({}, 'roles', roles),
      endDate: null,
    });
    await recordAudit(tx, {
      action: 'invitation_accepted',
      actorPersonId: personId,
      subjectPersonId: personId,
      organisationId: invitation.organisationId,
      ip: meta.ip ?? null,
      requestId: meta.requestId ?? null,
      details: { roles },
    });
    return personId;
  });
}
