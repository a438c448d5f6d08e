// Organisational self-assessments: an organisation's admins answer a maturity self-assessment together on the
// self-assessment engine, see their maturity per domain over time, and compare it, anonymised, with other
// organisations'. Action plans are in org-assessments.actions.ts.
//
// Who may do what: the organisation's admins answer and plan; platform admins may look but not change anything;
// other members are refused (403) and everyone else is told there is no such organisation (404).

import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { organisationForAdmin } from '../identity/identity.service.js';
import { firstIncompletePage, type AssessmentPage } from './assessments.engine.js';
import {
  answerPage,
  assessmentHistory,
  openResponse,
  responseForPrincipal,
  submitAssessment,
  toolForPrincipal,
  type ResponseRow,
  type ResponseView,
  type ToolRow,
} from './assessments.service.js';
import * as assessments from './assessments.store.js';
import type { AssessmentResults, ScalePoint } from './assessments.types.js';
import { levelOfMean, quartiles } from './org-assessments.chart.js';
import * as store from './org-assessments.store.js';

/** Comparisons with other organisations are shown only when at least this many other organisations submitted. */
export const COMPARISON_THRESHOLD = 5;

/** The organisation whose self-assessments are shown, and whether the principal may answer and plan for it. */
export interface OrganisationScope {
  organisation: { id: string; code: string; name: string };
  mayChange: boolean;
}

/**
 * The organisation with this code, for its admins (who may change its self-assessments) and platform admins (who
 * may only look). Forbidden for its other members, NotFound for everyone else.
 */
export async function organisationScope(db: Db, principal: Principal, code: string): Promise<OrganisationScope> {
  const org = await organisationForAdmin(db, principal, code);
  const mayChange = principal.memberships.some((m) => m.organisationId === org.id && m.roles.includes('org_admin'));
  return { organisation: { id: org.id, code: org.code, name: org.name }, mayChange };
}

/** Throws Forbidden unless the principal may answer and plan for the organisation. */
export function requireChange(scope: OrganisationScope): void {
  if (!scope.mayChange) {
    throw new Forbidden('Only the organisation’s admins answer its self-assessments and change its action plans.');
  }
}

/** The newest version of an organisation tool the organisation may answer; NotFound for any other key. */
export async function organisationTool(
  db: Db,
  principal: Principal,
  scope: OrganisationScope,
  toolKey: string,
): Promise<ToolRow> {
  const tool = await toolForPrincipal(db, principal, toolKey);
  if (
    tool.respondent !== 'organisation' ||
    (tool.organisation_id !== null && tool.organisation_id !== scope.organisation.id)
  ) {
    throw new NotFound('No such self-assessment.');
  }
  return tool;
}

/** A domain's maturity: the mean of its ratings (one decimal place) and the level that rounds down to. */
export interface DomainLevel {
  key: string;
  title: string;
  itemIdentifier: string | null;
  mean: number | null;
  level: number | null;
  label: string | null;
}

/** The maturity per domain in a set of results, in the order of the tool's groups. */
export function domainLevels(results: AssessmentResults, scale: ScalePoint[]): DomainLevel[] {
  return results.groups.map((group) => {
    const level = group.level === null ? null : levelOfMean(group.level, scale);
    return {
      key: group.key,
      title: group.title,
      itemIdentifier: group.itemIdentifier,
      mean: group.level,
      level: level?.level ?? null,
      label: level?.label ?? null,
    };
  });
}

/** The highest level of a tool's scale. */
export function topLevel(tool: ToolRow): number {
  return Math.max(...tool.definition.scale.map((p) => p.value));
}

export interface ToolOverview {
  tool: ToolRow;
  /** The response in progress, if any: when it was last saved. */
  inProgress: { updatedAt: Date } | null;
  lastSubmitted: Date | null;
  submissions: number;
  latest: DomainLevel[];
  openActions: number;
}

/** The organisation's self-assessments: each tool with where the organisation stands on it. */
export async function organisationOverview(
  db: Db,
  principal: Principal,
  code: string,
): Promise<{ scope: OrganisationScope; tools: ToolOverview[] }> {
  const scope = await organisationScope(db, principal, code);
  const tools = await assessments.latestTools(db, 'organisation', [scope.organisation.id]);
  const overviews = await Promise.all(
    tools.map(async (tool) => {
      const [open, history, openActions] = await Promise.all([
        assessments.openResponse(db, tool.key, { organisationId: scope.organisation.id }),
        assessmentHistory(db, principal, tool.key, scope.organisation.id),
        store.countOpenActions(db, scope.organisation.id, tool.key),
      ]);
      const last = history[0];
      return {
        tool,
        inProgress: open === undefined ? null : { updatedAt: open.updated_at },
        lastSubmitted: last?.submitted_at ?? null,
        submissions: history.length,
        latest: last?.results === null || last === undefined ? [] : domainLevels(last.results, tool.definition.scale),
        openActions,
      };
    }),
  );
  return { scope, tools: overviews };
}

/**
 * Starts the organisation's response to the tool, or carries on with the one in progress; returns the index of the
 * first page still to answer, or null when every page is answered (the next step is checking the answers).
 */
export async function startOrContinue(
  db: Db,
  principal: Principal,
  code: string,
  toolKey: string,
): Promise<{ scope: OrganisationScope; page: number | null }> {
  const scope = await organisationScope(db, principal, code);
  requireChange(scope);
  await organisationTool(db, principal, scope, toolKey);
  const response = await openResponse(db, principal, toolKey, scope.organisation.id);
  const { pages } = await responseForPrincipal(db, principal, response.id);
  const first = firstIncompletePage(pages, response.answers);
  return { scope, page: first < 0 ? null : first };
}

/** The organisation's response in progress to a tool, with its tool, its pages as they stand and the organisation. */
export interface ResponseInProgress extends ResponseView {
  scope: OrganisationScope;
}

/** The response in progress, for the organisation's admins; null when none is in progress (e.g. just submitted). */
export async function responseInProgress(
  db: Db,
  principal: Principal,
  code: string,
  toolKey: string,
): Promise<ResponseInProgress | null> {
  const scope = await organisationScope(db, principal, code);
  requireChange(scope);
  await organisationTool(db, principal, scope, toolKey);
  const open = await assessments.openResponse(db, toolKey, { organisationId: scope.organisation.id });
  if (open === undefined) return null;
  return { scope, ...(await responseForPrincipal(db, principal, open.id)) };
}

/** Saves a page of the response in progress (see answerPage): errors beside the fields, or the page to show next. */
export async function saveOrganisationPage(
  db: Db,
  principal: Principal,
  response: ResponseRow,
  pageIndex: number,
  form: Record<string, string | undefined>,
): Promise<{ errors: Record<string, string> } | { next: number | null }> {
  return answerPage(db, principal, response.id, pageIndex, form);
}

/** A point of a maturity scale in words: "Not started" for 0, else e.g. "Level 3: Established". */
export function pointText(point: ScalePoint): string {
  return point.value === 0 ? point.label : `Level ${String(point.value)}: ${point.label}`;
}

/** One answer on the check-your-answers page. */
export interface AnswerRow {
  key: string;
  question: string;
  answer: string | null;
  optional: boolean;
  pageNumber: number;
}

/** Every shown question of the response with its answer in words, page by page, for checking before submitting. */
export function answersToCheck(view: ResponseView): { page: AssessmentPage; number: number; rows: AnswerRow[] }[] {
  const scale = view.tool.definition.scale;
  return view.pages.map((page, index) => ({
    page,
    number: index + 1,
    rows: page.questions.map((question) => {
      const answer = view.response.answers[question.key];
      const point = typeof answer === 'number' ? scale.find((p) => p.value === answer) : undefined;
      return {
        key: question.key,
        question: question.text,
        answer:
          answer === undefined
            ? null
            : point !== undefined
              ? pointText(point)
              : question.kind === 'choice'
                ? (question.options.find((o) => o.value === answer)?.label ?? String(answer))
                : String(answer),
        optional: question.optional === true,
        pageNumber: index + 1,
      };
    }),
  }));
}

/** Submits the organisation's response. Throws Invalid (details.page: the page index) when an answer is missing. */
export async function submitOrganisationAssessment(db: Db, principal: Principal, response: ResponseRow): Promise<void> {
  await submitAssessment(db, principal, response.id, false);
}

/** One submission's maturity per domain. */
export interface Submission {
  id: string;
  submittedAt: Date;
  toolVersion: number;
  domains: DomainLevel[];
}

/** The organisation's submissions to the tool, newest first, each with its maturity per domain. */
export async function organisationResults(
  db: Db,
  principal: Principal,
  code: string,
  toolKey: string,
): Promise<{ scope: OrganisationScope; tool: ToolRow; submissions: Submission[] }> {
  const scope = await organisationScope(db, principal, code);
  const tool = await organisationTool(db, principal, scope, toolKey);
  const history = await assessmentHistory(db, principal, toolKey, scope.organisation.id);
  const submissions = history.flatMap((response) =>
    response.results === null || response.submitted_at === null
      ? []
      : [
          {
            id: response.id,
            submittedAt: response.submitted_at,
            toolVersion: response.tool_version,
            domains: domainLevels(response.results, tool.definition.scale),
          },
        ],
  );
  return { scope, tool, submissions };
}

/** A domain compared: this organisation's latest level beside the spread of other organisations' latest levels. */
export interface DomainComparison {
  key: string;
  title: string;
  own: DomainLevel | null;
  /** Other organisations with a level for this domain. */
  count: number;
  /** Null unless at least COMPARISON_THRESHOLD other organisations have a level for the domain. */
  others: {
    q1: number;
    median: number;
    q3: number;
    /** How many other organisations are at each level of the scale (their mean rounded down). */
    atLevel: { level: number; label: string; count: number }[];
  } | null;
}

export interface Comparison {
  scope: OrganisationScope;
  tool: ToolRow;
  /** Other organisations that have submitted the tool. */
  organisations: number;
  /** How many more other organisations must submit before the comparison is shown (0: shown). */
  needed: number;
  ownSubmittedAt: Date | null;
  domains: DomainComparison[];
}

/**
 * This organisation's latest maturity per domain beside the anonymised spread (median, quartiles and counts per
 * level) of every other organisation's latest submitted results. The spread is given only where at least
 * COMPARISON_THRESHOLD other organisations have submitted: this organisation is not counted, so that it cannot
 * take its own answers away and learn about fewer than that many others. No other organisation is ever named.
 */
export async function organisationComparison(
  db: Db,
  principal: Principal,
  code: string,
  toolKey: string,
): Promise<Comparison> {
  const scope = await organisationScope(db, principal, code);
  const tool = await organisationTool(db, principal, scope, toolKey);
  const scale = tool.definition.scale;
  const [history, others] = await Promise.all([
    assessmentHistory(db, principal, toolKey, scope.organisation.id),
    store.latestResultsOfOtherOrganisations(db, toolKey, scope.organisation.id),
  ]);
  const latest = history[0];
  const own = latest?.results === null || latest === undefined ? [] : domainLevels(latest.results, scale);
  const shown = others.length >= COMPARISON_THRESHOLD;
  const domains = tool.definition.groups.map((group): DomainComparison => {
    const levels = others.flatMap((results) => {
      const found = results.groups.find((g) => g.key === group.key);
      return found?.level === null || found === undefined ? [] : [found.level];
    });
    const spread =
      shown && levels.length >= COMPARISON_THRESHOLD
        ? {
            ...quartiles(levels),
            atLevel: scale.map((point) => ({
              level: point.value,
              label: point.label,
              count: levels.filter((mean) => levelOfMean(mean, scale).level === point.value).length,
            })),
          }
        : null;
    return {
      key: group.key,
      title: group.title,
      own: own.find((d) => d.key === group.key) ?? null,
      count: shown ? levels.length : 0,
      others: spread,
    };
  });
  return {
    scope,
    tool,
    organisations: others.length,
    needed: Math.max(0, COMPARISON_THRESHOLD - others.length),
    ownSubmittedAt: latest?.submitted_at ?? null,
    domains,
  };
}

/** The page index an Invalid from submitOrganisationAssessment points at, if it points at one. */
export function incompletePageOf(error: unknown): number | null {
  if (!(error instanceof Invalid)) return null;
  const page = Number(error.details.page);
  return Number.isInteger(page) && page >= 0 ? page : null;
}
