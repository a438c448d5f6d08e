// Role profile pages: the list, creating and changing a profile and its requirements (choose a framework, then an
// item and a level; works without JavaScript), deleting one, and "My role profile" where a learner sees the profile
// that applies to them and why, and chooses another.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { field, formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import {
  addRequirement,
  checkRoleProfileFields,
  chooseRoleProfile,
  choosableRoleProfiles,
  createRoleProfile,
  deleteRoleProfile,
  getRoleProfile,
  listRoleProfiles,
  mayEditRoleProfile,
  removeRequirement,
  requirementChoices,
  requirementFrameworks,
  roleProfileForPerson,
  roleProfileOwners,
  updateRoleProfile,
  type RequirementChoices,
  type RequirementFields,
  type RoleProfile,
  type RoleProfileDetail,
  type RoleProfileFields,
  type RoleProfileMatch,
} from './role-profiles.service.js';

const NATIONAL = 'national';
const HOME = { href: '/', text: 'Home' };
const PROFILES = { href: '/role-profiles', text: 'Role profiles' };
const INDENT = '\u00a0\u00a0\u00a0\u00a0';
const FLASHES: Record<string, string> = {
  created: 'Role profile created',
  saved: 'Changes saved',
  added: 'Requirement added',
  removed: 'Requirement removed',
  deleted: 'Role profile deleted',
  chosen: 'Your role profile is chosen',
  cleared: 'Your choice is cleared',
};

function flashOf(request: FastifyRequest): string | undefined {
  return Object.entries(FLASHES).find(([key]) => queryText(request, key) === '1')?.[1];
}

function idOf(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

function ownerOf(profile: RoleProfile): string {
  return profile.organisationName ?? 'National';
}

/** "Staff Nurse (Nursing and Midwifery Registered)", or whichever of the two the profile names. */
function forText(profile: RoleProfile): string | undefined {
  const parts = [profile.jobRole, profile.staffGroup].filter((p): p is string => p !== null);
  if (parts.length === 0) return undefined;
  return parts.length === 2 ? `${parts[0] ?? ''} (${parts[1] ?? ''})` : parts[0];
}

function levelText(level: number | null, label: string | null): string {
  if (level === null) return 'Any level';
  return label === null || label === `Level ${level}` ? `Level ${level}` : `Level ${level} – ${label}`;
}

function requirementRows(profile: RoleProfileDetail) {
  return profile.requirements.map((r) => ({
    id: r.id,
    framework: r.frameworkTitle ?? 'A framework no longer published',
    frameworkId: r.frameworkId,
    code: r.code,
    statement: r.statement,
    missing: r.statement === null,
    level: levelText(r.level, r.levelLabel),
  }));
}

/** Who can own a new profile, as radio items, with the chosen one checked. */
function ownerItems(principal: Principal, chosen: string) {
  const owners = roleProfileOwners(principal).map((o) => ({
    value: o.organisationId ?? NATIONAL,
    text: o.organisationId === null ? 'National (all organisations)' : o.name,
  }));
  const checked = chosen !== '' ? chosen : owners.length === 1 ? (owners[0]?.value ?? '') : '';
  return owners.map((o) => ({ ...o, checked: o.value === checked }));
}

function profileFields(request: FastifyRequest): RoleProfileFields {
  const fields = formFields(request);
  return {
    name: field(fields, 'name'),
    description: field(fields, 'description'),
    staffGroup: field(fields, 'staffGroup'),
    jobRole: field(fields, 'jobRole'),
  };
}

function isFormError(error: unknown): error is Invalid | Conflict {
  return error instanceof Invalid || error instanceof Conflict;
}

function itemOptions(choices: RequirementChoices, selected: string) {
  return [
    { value: '', text: 'Choose an item' },
    ...choices.items.map((item) => {
      const label = item.label.length > 100 ? `${item.label.slice(0, 99).trimEnd()}…` : item.label;
      return {
        value: item.identifier,
        text: `${INDENT.repeat(item.depth)}${item.code === null ? '' : `${item.code} `}${label}`,
        selected: item.identifier === selected,
      };
    }),
  ];
}

function levelOptions(choices: RequirementChoices, selected: string) {
  return [
    { value: '', text: 'Any level', selected: selected === '' },
    ...choices.levels.map((l) => ({
      value: String(l.level),
      text: levelText(l.level, l.label),
      selected: String(l.level) === selected,
    })),
  ];
}

function matchView(match: RoleProfileMatch | null) {
  if (match === null) return undefined;
  const { reason } = match;
  const why =
    reason.kind === 'chosen'
      ? 'You chose this role profile.'
      : reason.kind === 'job_role'
        ? `It matches your job role, ${reason.value}, at ${reason.organisationName}.`
        : `It matches your staff group, ${reason.value}, at ${reason.organisationName}.`;
  return { why, chosen: reason.kind === 'chosen' };
}

/** Role profile pages, and the learner's own "My role profile". */
export async function roleProfileRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;

  const crumbs = (profile?: RoleProfile) =>
    profile === undefined
      ? [HOME, PROFILES]
      : [HOME, PROFILES, { href: `/role-profiles/${profile.id}`, text: profile.name }];

  app.get('/role-profiles', async (request, reply) => {
    const principal = signedIn(request);
    const profiles = await listRoleProfiles(db, principal);
    return reply.page('role-profiles.njk', {
      pageTitle: 'Role profiles',
      profiles: profiles.map((p) => ({
        id: p.id,
        name: p.name,
        for: forText(p) ?? '–',
        owner: ownerOf(p),
        requirements: p.requirementCount,
      })),
      mayCreate: roleProfileOwners(principal).length > 0,
      flash: flashOf(request),
      breadcrumbs: [HOME],
    });
  });

  const formPage = (
    reply: FastifyReply,
    principal: Principal,
    data: { profile?: RoleProfile; owner?: string; values: RoleProfileFields; errors?: Record<string, string> },
    status = 200,
  ) =>
    reply.page(
      'role-profile-form.njk',
      {
        pageTitle: data.profile === undefined ? 'Create a role profile' : `Change ${data.profile.name}`,
        profile: data.profile,
        ownerItems: data.profile === undefined ? ownerItems(principal, data.owner ?? '') : undefined,
        values: data.values,
        errors: data.errors,
        breadcrumbs: crumbs(data.profile),
      },
      status,
    );

  const creator = (request: FastifyRequest): Principal => {
    const principal = signedIn(request);
    if (roleProfileOwners(principal).length === 0) throw new Forbidden('You may not create role profiles.');
    return principal;
  };

  app.get('/role-profiles/new', async (request, reply) => {
    const empty = { name: '', description: '', staffGroup: '', jobRole: '' };
    return formPage(reply, creator(request), { values: empty });
  });

  app.post('/role-profiles', async (request, reply) => {
    const principal = creator(request);
    const values = profileFields(request);
    const ownerValue = field(formFields(request), 'owner').trim().toLowerCase();
    const owner = ownerValue === NATIONAL ? null : isUuid(ownerValue) ? ownerValue : undefined;
    if (owner === undefined) {
      const { errors } = checkRoleProfileFields(values);
      const ownerError = ownerValue === '' ? 'Select who the role profile is for' : 'Select one of the owners listed';
      return formPage(reply, principal, { values, owner: '', errors: { owner: ownerError, ...errors } }, 400);
    }
    try {
      const id = await createRoleProfile(db, principal, owner, values);
      return await reply.redirect(`/role-profiles/${id}?created=1`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return formPage(reply, principal, { values, owner: ownerValue, errors: error.details }, error.status);
    }
  });

  app.get('/role-profiles/:id', async (request, reply) => {
    const principal = signedIn(request);
    const profile = await getRoleProfile(db, principal, idOf(request));
    const editable = mayEditRoleProfile(principal, profile);
    const frameworks = editable ? await requirementFrameworks(db, principal, profile) : [];
    return reply.page('role-profile.njk', {
      pageTitle: profile.name,
      profile,
      owner: ownerOf(profile),
      requirements: requirementRows(profile),
      editable,
      frameworkItems: [
        { value: '', text: 'Choose a framework' },
        ...frameworks.map((f) => ({ value: f.identifier, text: `${f.title} (${f.owner})` })),
      ],
      flash: flashOf(request),
      breadcrumbs: [HOME, PROFILES],
    });
  });

  /** The profile, for a page only its editors may open. */
  const editable = async (request: FastifyRequest) => {
    const principal = signedIn(request);
    const profile = await getRoleProfile(db, principal, idOf(request));
    if (!mayEditRoleProfile(principal, profile)) throw new Forbidden('You may not change this role profile.');
    return { principal, profile };
  };

  app.get('/role-profiles/:id/edit', async (request, reply) => {
    const { principal, profile } = await editable(request);
    const values = {
      name: profile.name,
      description: profile.description ?? '',
      staffGroup: profile.staffGroup ?? '',
      jobRole: profile.jobRole ?? '',
    };
    return formPage(reply, principal, { profile, values });
  });

  app.post('/role-profiles/:id/edit', async (request, reply) => {
    const { principal, profile } = await editable(request);
    const values = profileFields(request);
    try {
      await updateRoleProfile(db, principal, profile.id, values);
      return await reply.redirect(`/role-profiles/${profile.id}?saved=1`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return formPage(reply, principal, { profile, values, errors: error.details }, error.status);
    }
  });

  app.get('/role-profiles/:id/delete', async (request, reply) => {
    const { profile } = await editable(request);
    return reply.page('role-profile-delete.njk', {
      pageTitle: `Delete ${profile.name}`,
      profile,
      breadcrumbs: crumbs(profile),
    });
  });

  app.post('/role-profiles/:id/delete', async (request, reply) => {
    await deleteRoleProfile(db, signedIn(request), idOf(request));
    return reply.redirect('/role-profiles?deleted=1', 303);
  });

  const requirementPage = async (
    reply: FastifyReply,
    principal: Principal,
    profile: RoleProfileDetail,
    chosen: RequirementFields,
    errors?: Record<string, string>,
    status = 200,
  ) => {
    let choices: RequirementChoices | undefined;
    let shownErrors = errors;
    let shownStatus = status;
    try {
      if (chosen.framework !== '') choices = await requirementChoices(db, principal, profile, chosen.framework);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      shownErrors = error.details;
      shownStatus = 400;
    }
    const frameworks = choices === undefined ? await requirementFrameworks(db, principal, profile) : [];
    return reply.page(
      'role-profile-requirement.njk',
      {
        pageTitle: `Add a requirement to ${profile.name}`,
        profile,
        choices,
        frameworkItems: [
          { value: '', text: 'Choose a framework' },
          ...frameworks.map((f) => ({ value: f.identifier, text: `${f.title} (${f.owner})` })),
        ],
        itemItems: choices === undefined ? [] : itemOptions(choices, chosen.item),
        levelItems: choices === undefined ? [] : levelOptions(choices, chosen.level),
        errors: shownErrors,
        breadcrumbs: crumbs(profile),
      },
      shownStatus,
    );
  };

  app.get('/role-profiles/:id/requirements/new', async (request, reply) => {
    const { principal, profile } = await editable(request);
    const framework = queryText(request, 'framework');
    const chosen = { framework, item: '', level: '' };
    // Continuing without a framework is the same mistake as choosing none.
    const errors =
      'framework' in (request.query as object) && framework === '' ? { framework: 'Select a framework' } : undefined;
    return requirementPage(reply, principal, profile, chosen, errors, errors === undefined ? 200 : 400);
  });

  app.post('/role-profiles/:id/requirements', async (request, reply) => {
    const { principal, profile } = await editable(request);
    const fields = formFields(request);
    const chosen = {
      framework: field(fields, 'framework'),
      item: field(fields, 'item'),
      level: field(fields, 'level'),
    };
    try {
      await addRequirement(db, principal, profile.id, chosen);
      return await reply.redirect(`/role-profiles/${profile.id}?added=1#requirements`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return requirementPage(reply, principal, profile, chosen, error.details, error.status);
    }
  });

  app.post('/role-profiles/:id/requirements/:requirementId/remove', async (request, reply) => {
    const { id, requirementId } = request.params as { id: string; requirementId: string };
    await removeRequirement(db, signedIn(request), id, requirementId);
    return reply.redirect(`/role-profiles/${id}?removed=1#requirements`, 303);
  });

  const myRolePage = async (
    reply: FastifyReply,
    principal: Principal,
    flash: string | undefined,
    errors?: Record<string, string>,
    status = 200,
  ) => {
    const [match, choosable] = await Promise.all([
      roleProfileForPerson(db, principal),
      choosableRoleProfiles(db, principal),
    ]);
    const profile = match === null ? undefined : await getRoleProfile(db, principal, match.profile.id);
    return reply.page(
      'role-profile-mine.njk',
      {
        pageTitle: 'My role profile',
        profile,
        owner: profile === undefined ? undefined : ownerOf(profile),
        requirements: profile === undefined ? [] : requirementRows(profile),
        match: matchView(match),
        profileItems: [
          { value: '', text: 'Choose a role profile' },
          ...choosable.map((p) => ({
            value: p.id,
            text: `${p.name} (${ownerOf(p)})`,
            selected: match?.reason.kind === 'chosen' && match.profile.id === p.id,
          })),
        ],
        flash,
        errors,
        breadcrumbs: [HOME],
      },
      status,
    );
  };

  app.get('/my-role', async (request, reply) => myRolePage(reply, signedIn(request), flashOf(request)));

  app.post('/my-role', async (request, reply) => {
    const principal = signedIn(request);
    const chosen = field(formFields(request), 'profile').trim();
    try {
      if (chosen === '') throw new Invalid('There is a problem', { profile: 'Select a role profile' });
      await chooseRoleProfile(db, principal, chosen);
      return await reply.redirect('/my-role?chosen=1', 303);
    } catch (error) {
      // A profile that is not there (or not theirs to see) is one they could not have picked from the list.
      const details =
        error instanceof Invalid
          ? error.details
          : error instanceof NotFound
            ? { profile: 'Select one of the role profiles listed' }
            : undefined;
      if (details === undefined) throw error;
      return myRolePage(reply, principal, undefined, details, 400);
    }
  });

  app.post('/my-role/clear', async (request, reply) => {
    await chooseRoleProfile(db, signedIn(request), null);
    return reply.redirect('/my-role?cleared=1', 303);
  });
}
