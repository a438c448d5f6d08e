// Self-assessment pages for learners: the tools they can take, one page per group of questions (save and continue,
// or save and come back later), checking answers with consent to count in organisation reports, results with a
// chart, a table, change over time, gaps against their role profile and signposted learning, and their history.
// Everything works without JavaScript. Managing the signposts themselves is in signposts.routes.ts.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { field, fieldList, formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { levelBarChart, levelText } from './assessments.chart.js';
import { firstIncompletePage, type AssessmentPage } from './assessments.engine.js';
import {
  answerPage,
  assessmentHistory,
  assessmentReport,
  openResponse,
  personalToolStatus,
  responseForPrincipal,
  savePageForLater,
  submitAssessment,
  toolForPrincipal,
  type AssessmentReport,
  type ResponseView,
} from './assessments.service.js';
import type { AssessmentResults, Question, ScalePoint } from './assessments.types.js';

const HOME = { href: '/', text: 'Home' };
const TOOLS = { href: '/self-assessments', text: 'Self-assessments' };
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

const NOTICES: Record<string, string> = {
  more: 'Your answer brought in more questions on this page. Answer them to carry on.',
  incomplete: 'Answer the questions on this page before you check your answers.',
};

/** An HTML id for a question's field (question keys may hold dots, which ids should not). */
function fieldId(key: string): string {
  return `q-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The page number in the path (1, 2, …) as a page index; NotFound for anything else. */
function pageIndexOf(request: FastifyRequest): number {
  const n = (request.params as { n: string }).n;
  if (!/^[1-9][0-9]{0,3}$/.test(n)) throw new NotFound('No such page of the self-assessment.');
  return Number(n) - 1;
}

/** A response of the principal's own to a tool for people; NotFound otherwise (organisations answer elsewhere). */
async function ownResponse(request: FastifyRequest, ctx: AppContext): Promise<ResponseView & { principal: Principal }> {
  const principal = signedIn(request);
  const view = await responseForPrincipal(ctx.db, principal, (request.params as { id: string }).id);
  if (view.tool.respondent !== 'person') throw new NotFound('No such self-assessment.');
  return { ...view, principal };
}

function responsePath(id: string, rest: string): string {
  return `/self-assessments/responses/${id}/${rest}`;
}

function scaleLabel(scale: ScalePoint[], value: number): string {
  const point = scale.find((p) => p.value === value);
  return point === undefined ? levelText(value) : `${point.label} (level ${point.value})`;
}

/** A level as the results tables write it: "2 – Intermediate" for a scale point, "2.4" for a mean. */
function levelWithLabel(scale: ScalePoint[], level: number | null, none = 'Not answered'): string {
  if (level === null) return none;
  const point = Number.isInteger(level) ? scale.find((p) => p.value === level) : undefined;
  return point === undefined ? levelText(level) : `${point.value} – ${point.label}`;
}

/** A domain's level, or "Not answered" when it has none. */
function levelOrNone(level: number | null | undefined): string {
  return level === null || level === undefined ? 'Not answered' : levelText(level);
}

/** A required level as a sentence says it: "3 (Proficient)". */
function levelPhrase(scale: ScalePoint[], level: number): string {
  const label = scale.find((p) => p.value === level)?.label;
  return label === undefined ? levelText(level) : `${levelText(level)} (${label})`;
}

/** The fields of one question for the page template. */
function questionView(question: Question, scale: ScalePoint[], value: string, error: string | undefined) {
  const base = { key: question.key, id: fieldId(question.key), text: question.text, hint: question.hint, error };
  if (question.kind === 'text') return { ...base, kind: 'text', value, maxLength: question.maxLength };
  const options =
    question.kind === 'scale'
      ? scale.map((p) => ({ value: String(p.value), text: p.label, hint: p.hint }))
      : question.options.map((o) => ({ value: o.value, text: o.label, hint: undefined }));
  return {
    ...base,
    kind: question.kind,
    inline: question.kind === 'choice' && options.length <= 2,
    items: options.map((o) => ({
      value: o.value,
      text: o.text,
      ...(o.hint === undefined ? {} : { hint: { text: o.hint } }),
      checked: o.value === value,
    })),
  };
}

interface PageState {
  values: Record<string, string>;
  errors?: Record<string, string>;
  notice?: string;
  change: boolean;
}

function renderQuestionPage(reply: FastifyReply, view: ResponseView, index: number, state: PageState, status = 200) {
  const page = view.pages[index] as AssessmentPage;
  const scale = view.tool.definition.scale;
  const errors =
    state.errors === undefined
      ? undefined
      : Object.fromEntries(Object.entries(state.errors).map(([key, message]) => [fieldId(key), message]));
  return reply.page(
    'assessment-page.njk',
    {
      pageTitle: `${page.group.title} – ${view.tool.title}`,
      tool: view.tool,
      group: page.group,
      questions: page.questions.map((q) => questionView(q, scale, state.values[q.key] ?? '', state.errors?.[q.key])),
      progress: `Page ${index + 1} of ${view.pages.length}`,
      action: responsePath(view.response.id, `pages/${index + 1}`),
      backHref: state.change
        ? responsePath(view.response.id, 'check')
        : index === 0
          ? '/self-assessments'
          : responsePath(view.response.id, `pages/${index}`),
      change: state.change,
      notice: state.notice,
      errors,
    },
    status,
  );
}

function savedValues(view: ResponseView): Record<string, string> {
  return Object.fromEntries(Object.entries(view.response.answers).map(([k, v]) => [k, String(v)]));
}

function summaryRows(view: ResponseView) {
  const scale = view.tool.definition.scale;
  return view.pages.map((page, index) => ({
    title: page.group.title,
    rows: page.questions.map((q) => {
      const answer = view.response.answers[q.key];
      const text =
        answer === undefined
          ? 'Not answered'
          : q.kind === 'scale' && typeof answer === 'number'
            ? scaleLabel(scale, answer)
            : q.kind === 'choice'
              ? (q.options.find((o) => o.value === answer)?.label ?? String(answer))
              : String(answer);
      return {
        key: { text: q.text },
        value: { text },
        actions: {
          items: [
            {
              href: `${responsePath(view.response.id, `pages/${index + 1}`)}?change=1#${fieldId(q.key)}`,
              text: 'Change',
              visuallyHiddenText: q.text,
            },
          ],
        },
      };
    }),
  }));
}

/** Dates for a set of results: the day, or day and time where two fall on the same day. */
function dateLabels(dates: Date[]): string[] {
  const days = dates.map((d) => dateFormat.format(d));
  const clash = new Set(days).size < days.length;
  return clash ? dates.map((d) => dateTimeFormat.format(d)) : days;
}

function groupLevels(results: AssessmentResults): Map<string, number | null> {
  return new Map(results.groups.map((g) => [g.key, g.level]));
}

function resultsView(report: AssessmentReport) {
  const scale = report.tool.definition.scale;
  const groups = report.results.groups;
  const labels = dateLabels(report.timeline.map((t) => t.submittedAt));
  const previous = report.timeline.length > 1 ? report.timeline[report.timeline.length - 2] : undefined;
  const previousLevels = previous === undefined ? undefined : groupLevels(previous.results);
  const latestLabel = labels[labels.length - 1] ?? '';
  const chart = levelBarChart({
    id: 'profile-chart',
    title: `Your level in each domain, ${latestLabel}`,
    categories: groups.map((g) => g.title),
    scale: scale.map((p) => ({ value: p.value, label: p.label })),
    latest: { label: latestLabel, levels: groups.map((g) => g.level) },
    ...(previous === undefined || previousLevels === undefined
      ? {}
      : {
          previous: {
            label: labels[labels.length - 2] ?? '',
            levels: groups.map((g) => previousLevels.get(g.key) ?? null),
          },
        }),
  });
  const signposts = (itemIdentifier: string) =>
    (report.signposts.get(itemIdentifier) ?? []).map((s) => ({
      title: s.title,
      url: s.url,
      provider: s.provider,
      description: s.description,
    }));
  return {
    chart,
    previousLabel: previous === undefined ? undefined : labels[labels.length - 2],
    latestLabel,
    domains: groups.map((g) => ({
      title: g.title,
      level: levelOrNone(g.level),
      previous: previousLevels === undefined ? undefined : levelOrNone(previousLevels.get(g.key)),
    })),
    scale,
    timeline:
      report.timeline.length > 1
        ? {
            dates: labels,
            rows: groups.map((g) => ({
              title: g.title,
              levels: report.timeline.map((t) => levelOrNone(groupLevels(t.results).get(g.key))),
            })),
          }
        : undefined,
    roleProfile: report.roleProfile,
    requirements: report.requirements.map((r) => ({
      name: r.code === null ? r.name : `${r.code} ${r.name}`,
      required: levelWithLabel(scale, r.required),
      assessed: levelWithLabel(scale, r.assessed, 'Not asked'),
      gap: r.gap,
    })),
    gaps: report.requirements
      .filter((r) => r.gap)
      .map((r) => ({
        name: r.name,
        required: levelPhrase(scale, r.required ?? 1),
        signposts: signposts(r.itemIdentifier),
      })),
    areas: report.areasToDevelop.map((a) => ({
      name: a.name,
      assessed: levelWithLabel(scale, a.assessed),
      signposts: signposts(a.itemIdentifier),
    })),
    reflections: report.reflections,
  };
}

/** Self-assessment pages. */
export async function assessmentRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;

  app.get('/self-assessments', async (request, reply) => {
    const principal = signedIn(request);
    const statuses = await personalToolStatus(db, principal);
    return reply.page('assessment-tools.njk', {
      pageTitle: 'Self-assessments',
      tools: statuses.map((s) => ({
        key: s.tool.key,
        title: s.tool.title,
        description: s.tool.description,
        inProgress: s.inProgress === null ? undefined : { savedAt: dateTimeFormat.format(s.inProgress.updated_at) },
        last:
          s.lastSubmitted === null
            ? undefined
            : {
                date: dateFormat.format(s.lastSubmitted.submitted_at ?? s.lastSubmitted.updated_at),
                href: responsePath(s.lastSubmitted.id, 'results'),
              },
      })),
      flash:
        queryText(request, 'saved') === '1' ? 'Your answers are saved. Carry on whenever you are ready.' : undefined,
      breadcrumbs: [HOME],
    });
  });

  app.post('/self-assessments/:key/start', async (request, reply) => {
    const principal = signedIn(request);
    const key = (request.params as { key: string }).key;
    // Organisations answer their own self-assessments on the organisation's pages.
    if ((await toolForPrincipal(db, principal, key)).respondent !== 'person')
      throw new NotFound('No such self-assessment.');
    const response = await openResponse(db, principal, key);
    const view = await responseForPrincipal(db, principal, response.id);
    const incomplete = firstIncompletePage(view.pages, view.response.answers);
    return reply.redirect(
      incomplete < 0 ? responsePath(response.id, 'check') : responsePath(response.id, `pages/${incomplete + 1}`),
      303,
    );
  });

  app.get('/self-assessments/:key/history', async (request, reply) => {
    const principal = signedIn(request);
    const key = (request.params as { key: string }).key;
    const tool = await toolForPrincipal(db, principal, key);
    if (tool.respondent !== 'person') throw new NotFound('No such self-assessment.');
    const history = await assessmentHistory(db, principal, key);
    const labels = dateLabels(history.map((h) => h.submitted_at ?? h.updated_at));
    return reply.page('assessment-history.njk', {
      pageTitle: `Your results – ${tool.title}`,
      tool,
      results: history.map((h, i) => ({
        date: labels[i] ?? '',
        href: responsePath(h.id, 'results'),
        shared: h.shared_with_organisation,
      })),
      breadcrumbs: [HOME, TOOLS],
    });
  });

  app.get('/self-assessments/responses/:id/pages/:n', async (request, reply) => {
    const view = await ownResponse(request, ctx);
    if (view.response.status === 'submitted') return reply.redirect(responsePath(view.response.id, 'results'), 303);
    const index = pageIndexOf(request);
    if (view.pages[index] === undefined) throw new NotFound('No such page of the self-assessment.');
    const notice = Object.entries(NOTICES).find(([key]) => queryText(request, key) === '1')?.[1];
    return renderQuestionPage(reply, view, index, {
      values: savedValues(view),
      notice,
      change: queryText(request, 'change') === '1',
    });
  });

  app.post('/self-assessments/responses/:id/pages/:n', async (request, reply) => {
    const view = await ownResponse(request, ctx);
    const index = pageIndexOf(request);
    const page = view.pages[index];
    if (page === undefined) throw new NotFound('No such page of the self-assessment.');
    const fields = formFields(request);
    const form = Object.fromEntries(page.questions.map((q) => [q.key, field(fields, q.key)]));
    const change = field(fields, 'change') === '1';
    const id = view.response.id;
    const again = (errors: Record<string, string>) =>
      renderQuestionPage(reply, view, index, { values: { ...savedValues(view), ...form }, errors, change }, 400);

    if (field(fields, 'action') === 'later') {
      const saved = await savePageForLater(db, view.principal, id, index, form);
      if ('errors' in saved) return again(saved.errors);
      return reply.redirect('/self-assessments?saved=1', 303);
    }
    const answered = await answerPage(db, view.principal, id, index, form);
    if ('errors' in answered) return again(answered.errors);
    const changing = change ? '&change=1' : '';
    if (answered.next === index)
      return reply.redirect(`${responsePath(id, `pages/${index + 1}`)}?more=1${changing}`, 303);
    if (change || answered.next === null) return reply.redirect(responsePath(id, 'check'), 303);
    return reply.redirect(responsePath(id, `pages/${answered.next + 1}`), 303);
  });

  app.get('/self-assessments/responses/:id/check', async (request, reply) => {
    const view = await ownResponse(request, ctx);
    const id = view.response.id;
    if (view.response.status === 'submitted') return reply.redirect(responsePath(id, 'results'), 303);
    const incomplete = firstIncompletePage(view.pages, view.response.answers);
    if (incomplete >= 0) return reply.redirect(`${responsePath(id, `pages/${incomplete + 1}`)}?incomplete=1`, 303);
    return reply.page('assessment-check.njk', {
      pageTitle: `Check your answers – ${view.tool.title}`,
      tool: view.tool,
      groups: summaryRows(view),
      action: responsePath(id, 'submit'),
      backHref: responsePath(id, `pages/${view.pages.length}`),
    });
  });

  app.post('/self-assessments/responses/:id/submit', async (request, reply) => {
    const view = await ownResponse(request, ctx);
    const id = view.response.id;
    // A second click on Submit finds it submitted already: show the results rather than an error.
    if (view.response.status === 'submitted') return reply.redirect(responsePath(id, 'results'), 303);
    const share = fieldList(formFields(request), 'share').includes('yes');
    try {
      await submitAssessment(db, view.principal, id, share);
    } catch (error) {
      const page = error instanceof Invalid ? error.details.page : undefined;
      if (page === undefined) throw error;
      return reply.redirect(`${responsePath(id, `pages/${Number(page) + 1}`)}?incomplete=1`, 303);
    }
    return reply.redirect(responsePath(id, 'results'), 303);
  });

  app.get('/self-assessments/responses/:id/results', async (request, reply) => {
    const view = await ownResponse(request, ctx);
    if (view.response.status !== 'submitted') return reply.redirect(responsePath(view.response.id, 'check'), 303);
    const report = await assessmentReport(db, view.principal, view.response.id);
    const latest = report.timeline[report.timeline.length - 1];
    return reply.page('assessment-results.njk', {
      pageTitle: `Your results – ${report.tool.title}`,
      tool: report.tool,
      submitted: latest === undefined ? '' : dateFormat.format(latest.submittedAt),
      shared: report.response.shared_with_organisation,
      ...resultsView(report),
      breadcrumbs: [HOME, TOOLS],
    });
  });
}
