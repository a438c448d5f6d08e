import type { FastifyInstance } from 'fastify';
import { organisationsWhere } from '../../platform/access.js';
import { requestMeta } from '../../platform/auth/sign-in.routes.js';
import { createSession, listSessions } from '../../platform/auth/sessions.js';
import { setSessionCookie, signedIn } from '../../platform/auth/session.plugin.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { field, formFields } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { listPeople, personProfileFor, updateOwnName } from './identity.service.js';
import { acceptInvitation, InvitationGone, liveInvitation } from './invitations.service.js';
import { isUuid } from '../../platform/ids.js';

/** Pages every signed-in person uses: home, their account and profile, their team, accepting invitations. */
export async function identityRoutes(
  app: FastifyInstance,
  { ctx, secureCookies }: { ctx: AppContext; secureCookies: boolean },
): Promise<void> {
  const { db } = ctx;

  app.get('/', async (request, reply) => {
    if (request.principal === undefined)
      return reply.page('home-signed-out.njk', { pageTitle: 'Learning, skills and records for health and care staff' });
    return reply.page('home.njk', { pageTitle: 'Home' });
  });

  app.get('/accessibility', async (_request, reply) =>
    reply.page('accessibility.njk', { pageTitle: 'Accessibility statement' }),
  );

  app.get('/account', async (request, reply) => {
    const principal = signedIn(request);
    const profile = await personProfileFor(db, principal, principal.personId);
    const sessions = await listSessions(db, principal.personId, request.sessionToken);
    const query = request.query as Record<string, string | undefined>;
    const flash =
      query.saved === '1'
        ? 'Your name has been saved'
        : query.password === 'changed'
          ? 'Your password has been changed. You have been signed out on your other devices.'
          : undefined;
    return reply.page('account.njk', { pageTitle: 'Your account', profile, sessions, values: profile, flash });
  });

  app.post('/account', async (request, reply) => {
    const principal = signedIn(request);
    const fields = formFields(request);
    try {
      await updateOwnName(db, principal, field(fields, 'givenName'), field(fields, 'familyName'));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const profile = await personProfileFor(db, principal, principal.personId);
      const sessions = await listSessions(db, principal.personId, request.sessionToken);
      return reply.page(
        'account.njk',
        {
          pageTitle: 'Your account',
          profile,
          sessions,
          values: { givenName: field(fields, 'givenName'), familyName: field(fields, 'familyName') },
          errors: error.details,
          errorMessage: error.message,
        },
        400,
      );
    }
    return reply.redirect('/account?saved=1', 303);
  });

  app.get('/people/:personId', async (request, reply) => {
    const principal = signedIn(request);
    const { personId } = request.params as { personId: string };
    if (!isUuid(personId)) throw new NotFound('Person not found');
    const profile = await personProfileFor(db, principal, personId);
    return reply.page('person.njk', {
      pageTitle: `${profile.givenName} ${profile.familyName}`,
      profile,
      self: personId === principal.personId,
    });
  });

  app.get('/team', async (request, reply) => {
    const principal = signedIn(request);
    const orgIds = principal.isPlatformAdmin
      ? principal.memberships.map((m) => m.organisationId)
      : organisationsWhere(principal, ['supervisor']);
    if (orgIds.length === 0 && !principal.isPlatformAdmin) throw new NotFound('You do not supervise anyone');
    const teams = await Promise.all(
      principal.memberships
        .filter((m) => orgIds.includes(m.organisationId))
        .map(async (m) => ({
          organisation: m,
          ...(await listPeople(db, principal, m.organisationId, { currentOnly: true, limit: 200, offset: 0 })),
        })),
    );
    return reply.page('team.njk', { pageTitle: 'My team', teams });
  });

  app.get('/invitations/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const invitation = await liveInvitation(db, token);
    if (invitation === undefined)
      return reply.page('invitation-expired.njk', { pageTitle: 'This invitation has expired' }, 410);
    return reply.page('invitation.njk', {
      pageTitle: `Join ${invitation.organisationName}`,
      invitation,
      token,
      values: {},
    });
  });

  app.post('/invitations/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const fields = formFields(request);
    const values = {
      givenName: field(fields, 'givenName'),
      familyName: field(fields, 'familyName'),
      password: field(fields, 'password'),
    };
    try {
      const personId = await acceptInvitation(db, token, request.principal, values, requestMeta(request));
      if (request.principal === undefined) {
        const session = await createSession(db, ctx.config, personId, requestMeta(request));
        setSessionCookie(reply, session, secureCookies);
      }
      return reply.redirect('/', 303);
    } catch (error) {
      const expired = () => reply.page('invitation-expired.njk', { pageTitle: 'This invitation has expired' }, 410);
      if (error instanceof InvitationGone) return expired();
      if (!(error instanceof Invalid)) throw error;
      const invitation = await liveInvitation(db, token);
      if (invitation === undefined) return expired();
      return reply.page(
        'invitation.njk',
        {
          pageTitle: `Join ${invitation.organisationName}`,
          invitation,
          token,
          values: { givenName: values.givenName, familyName: values.familyName },
          errors: error.details,
          errorMessage: error.message,
        },
        400,
      );
    }
  });
}
