// The assignment pages: the organisation's assignments in force with their counts, choosing the learning, the form
// (who, mandatory or recommended, due, recertification, reminders) and withdrawing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Invalid } from '../../platform/errors.js';
import { field, fieldList, formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import {
  assignerIn,
  assignmentsWithCounts,
  audienceChoices,
  audienceText,
  blankAssignmentForm,
  chosenPeople,
  createAssignment,
  findPeopleToAssign,
  programmesOffered,
  subjectKey,
  subjectsToAssign,
  subjectToAssign,
  withdrawAssignment,
  type AssignerAccess,
  type AssignmentForm,
  type PersonChoice,
  type SubjectRow,
} from './assignments.service.js';
import { RESOURCE_TYPE_LABELS } from './resources.fields.js';

const HOME = { href: '/', text: 'Home' };

function codeOf(request: FastifyRequest): string {
  return (request.params as { code: string }).code;
}

function formOf(request: FastifyRequest): AssignmentForm & { peopleQuery: string; action: string } {
  const fields = formFields(request);
  return {
    subject: field(fields, 'subject'),
    audience: field(fields, 'audience'),
    people: fieldList(fields, 'people'),
    staffGroup: field(fields, 'staffGroup'),
    jobRole: field(fields, 'jobRole'),
    team: field(fields, 'team'),
    mandatory: field(fields, 'mandatory'),
    dueDays: field(fields, 'dueDays'),
    recertifyMonths: field(fields, 'recertifyMonths'),
    reminderDays: field(fields, 'reminderDays'),
    peopleQuery: field(fields, 'peopleQuery').trim(),
    action: field(fields, 'action'),
  };
}

/** The kind of learning, in words. */
export function subjectTypeText(subject: Pick<SubjectRow, 'kind' | 'type'>): string {
  return subject.kind === 'programme' || subject.type === null ? 'Programme' : RESOURCE_TYPE_LABELS[subject.type];
}

function breadcrumbs(access: AssignerAccess, here?: { href: string; text: string }) {
  const crumbs = [HOME];
  if (access.role === 'admin') {
    crumbs.push({ href: '/admin', text: 'Admin' });
    crumbs.push({ href: `/admin/organisations/${access.org.code}`, text: access.org.name });
  }
  if (here !== undefined) crumbs.push(here);
  return crumbs;
}

/** The pages where organisation admins and supervisors assign learning. */
export async function assignmentRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  const listPath = (code: string) => `/admin/organisations/${code}/assignments`;

  const formPage = async (
    reply: FastifyReply,
    principal: Principal,
    access: AssignerAccess,
    subject: SubjectRow,
    form: AssignmentForm & { peopleQuery: string },
    options: { errors?: Record<string, string>; searched?: boolean } = {},
    status = 200,
  ) => {
    const [chosen, found, audiences] = await Promise.all([
      access.role === 'admin' ? chosenPeople(db, access, form.people) : Promise.resolve([]),
      options.searched === true || access.role === 'supervisor'
        ? findPeopleToAssign(db, principal, access, form.peopleQuery)
        : Promise.resolve([]),
      access.role === 'admin'
        ? audienceChoices(db, access)
        : Promise.resolve({ staffGroups: [], jobRoles: [], teams: [] }),
    ]);
    const checked = new Set(form.people.map((p) => p.toLowerCase()));
    const people: PersonChoice[] = [...chosen, ...found.filter((f) => !chosen.some((c) => c.id === f.id))];
    const option = (value: string, selected: string) => ({ value, text: value, selected: value === selected });
    return reply.page(
      'assignments-form.njk',
      {
        pageTitle: `Assign ${subject.title}`.slice(0, 100),
        access,
        subject: { ...subject, key: subjectKey(subject), typeText: subjectTypeText(subject) },
        values: form,
        errors: options.errors,
        searched: options.searched === true,
        personItems: people.map((p) => ({
          value: p.id,
          text: p.name,
          hint: { text: p.email },
          checked: checked.has(p.id),
        })),
        staffGroupItems: [
          { value: '', text: 'Choose a staff group' },
          ...audiences.staffGroups.map((v) => option(v, form.staffGroup)),
        ],
        jobRoleItems: [
          { value: '', text: 'Choose a job role' },
          ...audiences.jobRoles.map((v) => option(v, form.jobRole)),
        ],
        teamItems: [{ value: '', text: 'Choose a team' }, ...audiences.teams.map((v) => option(v, form.team))],
        action: listPath(access.org.code),
        breadcrumbs: breadcrumbs(access, { href: listPath(access.org.code), text: 'Assigned learning' }),
      },
      status,
    );
  };

  app.get('/admin/organisations/:code/assignments', async (request, reply) => {
    const principal = signedIn(request);
    const { access, assignments } = await assignmentsWithCounts(db, principal, codeOf(request), new Date());
    const flash =
      queryText(request, 'assigned') === '1'
        ? 'Learning assigned'
        : queryText(request, 'withdrawn') === '1'
          ? 'Assignment withdrawn'
          : undefined;
    return reply.page('assignments-list.njk', {
      pageTitle: `Assigned learning – ${access.org.name}`,
      access,
      flash,
      assignments: assignments.map((a) => ({
        ...a,
        subjectKey: a.resource_id === null ? `programme:${a.programme_id ?? ''}` : `resource:${a.resource_id}`,
        subjectHref:
          a.resource_id === null
            ? `/catalogue/programmes/${a.programme_id ?? ''}`
            : `/catalogue/resources/${a.resource_id}`,
        audienceText: audienceText(a),
      })),
      breadcrumbs: breadcrumbs(access),
    });
  });

  app.get('/admin/organisations/:code/assignments/new', async (request, reply) => {
    const principal = signedIn(request);
    const key = queryText(request, 'subject');
    if (key !== '') {
      const access = await assignerIn(db, principal, codeOf(request));
      const subject = await subjectToAssign(db, access, key);
      return formPage(reply, principal, access, subject, { ...blankAssignmentForm(access, subject), peopleQuery: '' });
    }
    const q = queryText(request, 'q');
    let result: Awaited<ReturnType<typeof subjectsToAssign>>;
    let errors: Record<string, string> | undefined;
    try {
      result = await subjectsToAssign(db, principal, codeOf(request), q);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      errors = error.details;
      result = await subjectsToAssign(db, principal, codeOf(request), '');
    }
    const { access, subjects } = result;
    return reply.page(
      'assignments-choose.njk',
      {
        pageTitle: `Choose learning to assign – ${access.org.name}`,
        access,
        q,
        errors,
        programmes: await programmesOffered(db, access),
        subjects: subjects.map((s) => ({ ...s, key: subjectKey(s), typeText: subjectTypeText(s) })),
        breadcrumbs: breadcrumbs(access, { href: listPath(access.org.code), text: 'Assigned learning' }),
      },
      errors === undefined ? 200 : 400,
    );
  });

  app.post('/admin/organisations/:code/assignments', async (request, reply) => {
    const principal = signedIn(request);
    const access = await assignerIn(db, principal, codeOf(request));
    const form = formOf(request);
    const subject = await subjectToAssign(db, access, form.subject);
    if (form.action === 'find') {
      const errors =
        form.peopleQuery === ''
          ? { people: 'Enter a name, email address or assignment number to find' }
          : form.peopleQuery.length > 200
            ? { people: 'Enter 200 characters or fewer' }
            : undefined;
      return formPage(
        reply,
        principal,
        access,
        subject,
        form,
        { searched: errors === undefined, errors },
        errors ? 400 : 200,
      );
    }
    try {
      await createAssignment(db, { principal, ip: request.ip, requestId: request.id }, access.org.code, form);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return formPage(
        reply,
        principal,
        access,
        subject,
        form,
        { errors: error.details, searched: form.peopleQuery !== '' },
        400,
      );
    }
    return reply.redirect(`${listPath(access.org.code)}?assigned=1`, 303);
  });

  app.post('/admin/organisations/:code/assignments/:id/withdraw', async (request, reply) => {
    const principal = signedIn(request);
    const code = codeOf(request);
    const { id } = request.params as { id: string };
    await withdrawAssignment(db, { principal, ip: request.ip, requestId: request.id }, code, id);
    return reply.redirect(`${listPath(code.toUpperCase())}?withdrawn=1`, 303);
  });
}
