// Organisational self-assessment pages under /organisations/:code/self-assessments: the list of tools, answering
// one a domain per page (works without JavaScript), checking and submitting, results with a chart and change over
// time, the action plan (add, change, remove, CSV) and the anonymised comparison with other organisations.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { field, formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import type { ToolRow } from './assessments.service.js';
import { comparisonChart, formatLevel, maturityChart } from './org-assessments.chart.js';
import {
  ACTION_MAX_LENGTH,
  ACTION_STATUSES,
  actionOf,
  actionPlan,
  actionPlanCsv,
  addAction,
  changeAction,
  fieldsOf,
  removeAction,
  type ActionFields,
} from './org-assessments.actions.js';
import {
  answersToCheck,
  incompletePageOf,
  organisationComparison,
  organisationOverview,
  organisationResults,
  organisationScope,
  organisationTool,
  pointText,
  requireChange,
  responseInProgress,
  saveOrganisationPage,
  startOrContinue,
  submitOrganisationAssessment,
  topLevel,
  COMPARISON_THRESHOLD,
  type OrganisationScope,
} from './org-assessments.service.js';

const FLASHES: Record<string, string> = {
  submitted: 'Self-assessment submitted',
  added: 'Action added to the plan',
  saved: 'Action saved',
  removed: 'Action removed from the plan',
};

interface Params {
  code: string;
  tool: string;
  page: string;
  id: string;
}

function paramsOf(request: FastifyRequest): Params {
  return request.params as Params;
}

function flashOf(request: FastifyRequest): string | undefined {
  return Object.entries(FLASHES).find(([key]) => queryText(request, key) === '1')?.[1];
}

/** The address of the organisation's self-assessments, or of one tool's pages under it. */
function base(code: string, toolKey?: string): string {
  const list = `/organisations/${encodeURIComponent(code)}/self-assessments`;
  return toolKey === undefined ? list : `${list}/${encodeURIComponent(toolKey)}`;
}

function crumbs(scope: OrganisationScope, tool?: ToolRow) {
  const items = [
    { href: '/', text: 'Home' },
    { href: '/admin', text: 'Admin' },
    { href: `/admin/organisations/${scope.organisation.code}`, text: scope.organisation.name },
  ];
  if (tool !== undefined) items.push({ href: base(scope.organisation.code), text: 'Self-assessments' });
  return items;
}

/** A 1-based page number from the path, as a page index; NotFound for anything else. */
function pageIndexOf(page: string): number {
  if (!/^\d{1,3}$/.test(page) || Number(page) < 1) throw new NotFound('No such page of the self-assessment.');
  return Number(page) - 1;
}

function actionFieldsOf(request: FastifyRequest): ActionFields {
  const fields = formFields(request);
  return {
    domain: field(fields, 'domain'),
    action: field(fields, 'action'),
    owner: field(fields, 'owner'),
    day: field(fields, 'dueDate-day'),
    month: field(fields, 'dueDate-month'),
    year: field(fields, 'dueDate-year'),
    status: field(fields, 'status'),
  };
}

/** Organisational self-assessment pages. */
export async function organisationAssessmentRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;

  app.get('/organisations/:code/self-assessments', async (request, reply) => {
    const principal = signedIn(request);
    const { scope, tools } = await organisationOverview(db, principal, paramsOf(request).code);
    return reply.page('org-assessment-list.njk', {
      pageTitle: `Self-assessments – ${scope.organisation.name}`,
      scope,
      tools,
      base: base(scope.organisation.code),
      formatLevel,
      breadcrumbs: crumbs(scope),
    });
  });

  app.post('/organisations/:code/self-assessments/:tool/start', async (request, reply) => {
    const { code, tool } = paramsOf(request);
    const { scope, page } = await startOrContinue(db, signedIn(request), code, tool);
    const to = base(scope.organisation.code, tool);
    return reply.redirect(page === null ? `${to}/check` : `${to}/questions/${String(page + 1)}`, 303);
  });

  const questionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    submitted?: { values: Record<string, string>; errors: Record<string, string> },
  ) => {
    const { code, tool: toolKey, page } = paramsOf(request);
    const index = pageIndexOf(page);
    const view = await responseInProgress(db, signedIn(request), code, toolKey);
    if (view === null) return reply.redirect(base(code), 303);
    const current = view.pages[index];
    if (current === undefined) throw new NotFound('No such page of the self-assessment.');
    const to = base(view.scope.organisation.code, toolKey);
    const values =
      submitted?.values ??
      Object.fromEntries(current.questions.map((q) => [q.key, String(view.response.answers[q.key] ?? '')]));
    return reply.page(
      'org-assessment-question.njk',
      {
        pageTitle: `${current.group.title} – ${view.tool.title}`,
        scope: view.scope,
        tool: view.tool,
        group: current.group,
        questions: current.questions.map((q) => ({
          ...q,
          items: view.tool.definition.scale.map((p) => ({
            value: String(p.value),
            text: pointText(p),
            hint: p.hint === undefined ? undefined : { text: p.hint },
            checked: values[q.key] === String(p.value),
          })),
          value: values[q.key] ?? '',
        })),
        pageNumber: index + 1,
        pageCount: view.pages.length,
        action: `${to}/questions/${String(index + 1)}`,
        back: index === 0 ? base(code) : `${to}/questions/${String(index)}`,
        errors: submitted?.errors,
      },
      submitted === undefined ? 200 : 400,
    );
  };

  app.get('/organisations/:code/self-assessments/:tool/questions/:page', async (request, reply) =>
    questionPage(request, reply),
  );

  app.post('/organisations/:code/self-assessments/:tool/questions/:page', async (request, reply) => {
    const { code, tool: toolKey, page } = paramsOf(request);
    const index = pageIndexOf(page);
    const principal = signedIn(request);
    const view = await responseInProgress(db, principal, code, toolKey);
    if (view === null) return reply.redirect(base(code), 303);
    const current = view.pages[index];
    if (current === undefined) throw new NotFound('No such page of the self-assessment.');
    const fields = formFields(request);
    const form = Object.fromEntries(current.questions.map((q) => [q.key, field(fields, q.key)]));
    const outcome = await saveOrganisationPage(db, principal, view.response, index, form);
    if ('errors' in outcome) return questionPage(request, reply, { values: form, errors: outcome.errors });
    const to = base(view.scope.organisation.code, toolKey);
    return reply.redirect(outcome.next === null ? `${to}/check` : `${to}/questions/${String(outcome.next + 1)}`, 303);
  });

  const checkPage = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string>) => {
    const { code, tool: toolKey } = paramsOf(request);
    const view = await responseInProgress(db, signedIn(request), code, toolKey);
    if (view === null) return reply.redirect(base(code), 303);
    const to = base(view.scope.organisation.code, toolKey);
    return reply.page(
      'org-assessment-check.njk',
      {
        pageTitle: `Check your answers – ${view.tool.title}`,
        scope: view.scope,
        tool: view.tool,
        sections: answersToCheck(view),
        to,
        errors,
        breadcrumbs: crumbs(view.scope, view.tool),
      },
      errors === undefined ? 200 : 400,
    );
  };

  app.get('/organisations/:code/self-assessments/:tool/check', async (request, reply) => checkPage(request, reply));

  app.post('/organisations/:code/self-assessments/:tool/check', async (request, reply) => {
    const { code, tool: toolKey } = paramsOf(request);
    const principal = signedIn(request);
    const view = await responseInProgress(db, principal, code, toolKey);
    if (view === null) return reply.redirect(base(code), 303);
    try {
      await submitOrganisationAssessment(db, principal, view.response);
    } catch (error) {
      const page = incompletePageOf(error);
      if (page === null || !(error instanceof Invalid)) throw error;
      return checkPage(request, reply, { [`page-${String(page + 1)}`]: error.message });
    }
    return reply.redirect(`${base(view.scope.organisation.code, toolKey)}/results?submitted=1`, 303);
  });

  app.get('/organisations/:code/self-assessments/:tool/results', async (request, reply) => {
    const { code, tool: toolKey } = paramsOf(request);
    const { scope, tool, submissions } = await organisationResults(db, signedIn(request), code, toolKey);
    const [latest, previous] = submissions;
    const max = topLevel(tool);
    const chart =
      latest === undefined
        ? null
        : maturityChart(
            latest.domains.map((d) => ({
              title: d.title,
              latest: d.mean,
              previous: previous?.domains.find((p) => p.key === d.key)?.mean ?? null,
            })),
            max,
            previous !== undefined,
          );
    const over = submissions.slice(0, 6).reverse();
    return reply.page('org-assessment-results.njk', {
      pageTitle: `Results – ${tool.title}`,
      scope,
      tool,
      latest,
      previous,
      chart,
      max,
      overTime: over.length < 2 ? null : over,
      formatLevel,
      to: base(scope.organisation.code, toolKey),
      list: base(scope.organisation.code),
      flash: flashOf(request),
      breadcrumbs: crumbs(scope, tool),
    });
  });

  app.get('/organisations/:code/self-assessments/:tool/comparison', async (request, reply) => {
    const { code, tool: toolKey } = paramsOf(request);
    const comparison = await organisationComparison(db, signedIn(request), code, toolKey);
    const max = topLevel(comparison.tool);
    const chart =
      comparison.needed > 0
        ? null
        : comparisonChart(
            comparison.domains.map((d) => ({ title: d.title, own: d.own?.mean ?? null, others: d.others })),
            max,
          );
    return reply.page('org-assessment-comparison.njk', {
      pageTitle: `Comparison with other organisations – ${comparison.tool.title}`,
      ...comparison,
      chart,
      max,
      threshold: COMPARISON_THRESHOLD,
      formatLevel,
      to: base(comparison.scope.organisation.code, toolKey),
      list: base(comparison.scope.organisation.code),
      breadcrumbs: crumbs(comparison.scope, comparison.tool),
    });
  });

  app.get('/organisations/:code/self-assessments/:tool/action-plan', async (request, reply) => {
    const { code, tool: toolKey } = paramsOf(request);
    const plan = await actionPlan(db, signedIn(request), code, toolKey);
    return reply.page('org-assessment-plan.njk', {
      pageTitle: `Action plan – ${plan.tool.title}`,
      ...plan,
      formatLevel,
      to: base(plan.scope.organisation.code, toolKey),
      list: base(plan.scope.organisation.code),
      flash: flashOf(request),
      breadcrumbs: crumbs(plan.scope, plan.tool),
    });
  });

  app.get('/organisations/:code/self-assessments/:tool/action-plan.csv', async (request, reply) => {
    const { code, tool: toolKey } = paramsOf(request);
    const { filename, csv } = await actionPlanCsv(db, signedIn(request), code, toolKey);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });

  const actionForm = (
    reply: FastifyReply,
    scope: OrganisationScope,
    tool: ToolRow,
    values: ActionFields,
    options: { actionId?: string; updated?: { at: Date; by: string | null }; errors?: Record<string, string> },
  ) => {
    const to = base(scope.organisation.code, tool.key);
    return reply.page(
      'org-assessment-action.njk',
      {
        pageTitle: `${options.actionId === undefined ? 'Add an action' : 'Change an action'} – ${tool.title}`,
        scope,
        tool,
        values,
        actionId: options.actionId,
        updated: options.updated,
        formAction: options.actionId === undefined ? `${to}/action-plan/new` : `${to}/action-plan/${options.actionId}`,
        domainItems: [
          { value: '', text: 'Choose a domain' },
          ...tool.definition.groups.map((g) => ({ value: g.key, text: g.title, selected: g.key === values.domain })),
        ],
        statusItems: Object.entries(ACTION_STATUSES).map(([value, text]) => ({
          value,
          text,
          checked: value === values.status,
        })),
        maxLength: ACTION_MAX_LENGTH,
        to,
        errors: options.errors,
        breadcrumbs: [...crumbs(scope, tool), { href: `${to}/action-plan`, text: 'Action plan' }],
      },
      options.errors === undefined ? 200 : 400,
    );
  };

  const scopeAndTool = async (request: FastifyRequest) => {
    const { code, tool: toolKey } = paramsOf(request);
    const principal = signedIn(request);
    const scope = await organisationScope(db, principal, code);
    const tool = await organisationTool(db, principal, scope, toolKey);
    return { principal, scope, tool };
  };

  app.get('/organisations/:code/self-assessments/:tool/action-plan/new', async (request, reply) => {
    const { scope, tool } = await scopeAndTool(request);
    requireChange(scope);
    const domain = queryText(request, 'domain');
    return actionForm(
      reply,
      scope,
      tool,
      { domain, action: '', owner: '', day: '', month: '', year: '', status: 'not_started' },
      {},
    );
  });

  app.post('/organisations/:code/self-assessments/:tool/action-plan/new', async (request, reply) => {
    const { principal, scope, tool } = await scopeAndTool(request);
    const fields = actionFieldsOf(request);
    try {
      await addAction(db, principal, scope, tool, fields);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return actionForm(reply, scope, tool, fields, { errors: error.details });
    }
    return reply.redirect(`${base(scope.organisation.code, tool.key)}/action-plan?added=1`, 303);
  });

  app.get('/organisations/:code/self-assessments/:tool/action-plan/:id', async (request, reply) => {
    const { code, tool: toolKey, id } = paramsOf(request);
    const { scope, tool, action } = await actionOf(db, signedIn(request), code, toolKey, id);
    requireChange(scope);
    return actionForm(reply, scope, tool, fieldsOf(action), {
      actionId: action.id,
      updated: { at: action.updatedAt, by: action.updatedByName },
    });
  });

  app.post('/organisations/:code/self-assessments/:tool/action-plan/:id', async (request, reply) => {
    const { code, tool: toolKey, id } = paramsOf(request);
    const principal = signedIn(request);
    const { scope, tool, action } = await actionOf(db, principal, code, toolKey, id);
    const fields = actionFieldsOf(request);
    try {
      await changeAction(db, principal, scope, tool, action.id, fields);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return actionForm(reply, scope, tool, fields, { actionId: action.id, errors: error.details });
    }
    return reply.redirect(`${base(scope.organisation.code, tool.key)}/action-plan?saved=1`, 303);
  });

  app.get('/organisations/:code/self-assessments/:tool/action-plan/:id/remove', async (request, reply) => {
    const { code, tool: toolKey, id } = paramsOf(request);
    const { scope, tool, action } = await actionOf(db, signedIn(request), code, toolKey, id);
    requireChange(scope);
    const to = base(scope.organisation.code, tool.key);
    return reply.page('org-assessment-action-remove.njk', {
      pageTitle: `Remove an action – ${tool.title}`,
      scope,
      tool,
      action,
      domain: tool.definition.groups.find((g) => g.key === action.groupKey)?.title ?? null,
      to,
      breadcrumbs: [...crumbs(scope, tool), { href: `${to}/action-plan`, text: 'Action plan' }],
    });
  });

  app.post('/organisations/:code/self-assessments/:tool/action-plan/:id/remove', async (request, reply) => {
    const { code, tool: toolKey, id } = paramsOf(request);
    const { scope, tool, action } = await actionOf(db, signedIn(request), code, toolKey, id);
    await removeAction(db, scope, tool, action.id);
    return reply.redirect(`${base(scope.organisation.code, tool.key)}/action-plan?removed=1`, 303);
  });
}
