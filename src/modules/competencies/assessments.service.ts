// Taking a self-assessment: starting or resuming a response, answering it page by page, submitting it, and reading
// results over time, gaps against required levels and the learning signposted for them (signposts.service.ts).
//
// A person's response is theirs alone. An organisation's response (organisation tools) belongs to the
// organisation: its admins answer it together, and it is kept from everyone else.

import type { Db } from '../../db/connection.js';
import { hasRole, type Principal } from '../../platform/access.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import {
  firstIncompletePage,
  pagesOf,
  readPage,
  resultsOf,
  visibleAnswers,
  type AssessmentPage,
} from './assessments.engine.js';
import * as store from './assessments.store.js';
import { getRoleProfile, roleProfileForPerson } from './role-profiles.service.js';
import type { AssessmentResults } from './assessments.types.js';
import { signpostsForItems, type SignpostRow } from './signposts.service.js';

export type { ToolRow, ResponseRow } from './assessments.store.js';
export type { SignpostRow } from './signposts.service.js';

/** The tools a person may take for themselves: the newest version of each national one and their organisations'. */
export async function personalTools(db: Db, principal: Principal): Promise<store.ToolRow[]> {
  return store.latestTools(
    db,
    'person',
    principal.memberships.map((m) => m.organisationId),
  );
}

/** The newest version of the tool with this key, when the principal may take it; NotFound otherwise. */
export async function toolForPrincipal(db: Db, principal: Principal, key: string): Promise<store.ToolRow> {
  const tool = await store.latestTool(db, key);
  if (
    tool === undefined ||
    (tool.organisation_id !== null &&
      !principal.isPlatformAdmin &&
      !principal.memberships.some((m) => m.organisationId === tool.organisation_id))
  ) {
    throw new NotFound('No such self-assessment.');
  }
  return tool;
}

function respondentOf(
  principal: Principal,
  tool: store.ToolRow,
  organisationId: string | null,
): { personId: string } | { organisationId: string } {
  if (tool.respondent === 'person') return { personId: principal.personId };
  if (organisationId === null || !hasRole(principal, organisationId, ['org_admin'])) {
    throw new Forbidden('Only the organisation’s admins answer its self-assessments.');
  }
  return { organisationId };
}

/**
 * The response in progress to the tool for the principal (person tools) or for the organisation (organisation
 * tools, its admins only), started now if there is none. A response started under an older version of the tool
 * carries on with that version.
 */
export async function openResponse(
  db: Db,
  principal: Principal,
  toolKey: string,
  organisationId: string | null = null,
): Promise<store.ResponseRow> {
  const tool = await toolForPrincipal(db, principal, toolKey);
  const respondent = respondentOf(principal, tool, organisationId);
  const open = await store.openResponse(db, toolKey, respondent);
  if (open !== undefined) return open;
  try {
    return await store.insertResponse(
      db,
      tool.id,
      principal.personId,
      'organisationId' in respondent ? respondent.organisationId : null,
    );
  } catch {
    // Started a moment ago in another tab: carry on with that one.
    const started = await store.openResponse(db, toolKey, respondent);
    if (started === undefined) throw new Conflict('The self-assessment could not be started; try again.');
    return started;
  }
}

export interface ResponseView {
  response: store.ResponseRow;
  tool: store.ToolRow;
  pages: AssessmentPage[];
}

/** A response the principal may see and answer, with its tool and its pages as they stand; NotFound otherwise. */
export async function responseForPrincipal(db: Db, principal: Principal, responseId: string): Promise<ResponseView> {
  const response = isUuid(responseId) ? await store.responseById(db, responseId) : undefined;
  const tool = response === undefined ? undefined : await store.toolById(db, response.tool_id);
  if (response === undefined || tool === undefined) throw new NotFound('No such self-assessment.');
  const mayRead =
    response.organisation_id === null
      ? response.person_id === principal.personId
      : hasRole(principal, response.organisation_id, ['org_admin']);
  if (!mayRead) throw new NotFound('No such self-assessment.');
  return { response, tool, pages: pagesOf(tool.definition, tool.paging, response.answers) };
}

/**
 * Saves the answers on one page (pageIndex counts from 0) of a response in progress. Returns the errors to show
 * beside the fields when a required answer is missing or not allowed (nothing is saved then), else the index of
 * the page to show next (this one again when an answer on it brought in more questions), or null when the next
 * step is the check-your-answers page.
 */
export async function answerPage(
  db: Db,
  principal: Principal,
  responseId: string,
  pageIndex: number,
  form: Record<string, string | undefined>,
): Promise<{ errors: Record<string, string> } | { next: number | null }> {
  const { response, tool, pages } = await responseForPrincipal(db, principal, responseId);
  if (response.status !== 'in_progress') throw new Conflict('This self-assessment has been submitted already.');
  const page = pages[pageIndex];
  if (page === undefined) throw new NotFound('No such page of the self-assessment.');
  const read = readPage(tool.definition, page, form);
  if (Object.keys(read.errors).length > 0) return { errors: read.errors };
  const merged = { ...response.answers, ...read.answers };
  for (const key of read.cleared) Reflect.deleteProperty(merged, key);
  const answers = visibleAnswers(tool.definition, merged);
  await store.saveAnswers(db, response.id, answers, principal.personId);
  const after = pagesOf(tool.definition, tool.paging, answers);
  const here = after.findIndex((p) => p.group.key === page.group.key && p.questions[0]?.key === page.questions[0]?.key);
  // An answer on this page can bring in more questions on it (without JavaScript they cannot appear as it is
  // answered): show the page again until they are answered too.
  const current = after[here];
  if (current !== undefined && firstIncompletePage([current], answers) === 0) return { next: here };
  const next = here + 1;
  return { next: next < after.length ? next : null };
}

/**
 * Submits a complete response: computes its results and records whether the person lets their results count in
 * their organisations' reports. Throws Invalid naming the first page with a missing answer.
 */
export async function submitAssessment(
  db: Db,
  principal: Principal,
  responseId: string,
  shareWithOrganisation: boolean,
): Promise<AssessmentResults> {
  const { response, tool, pages } = await responseForPrincipal(db, principal, responseId);
  if (response.status !== 'in_progress') throw new Conflict('This self-assessment has been submitted already.');
  const incomplete = firstIncompletePage(pages, response.answers);
  if (incomplete >= 0) {
    throw new Invalid(`Answer the questions on page ${String(incomplete + 1)} before you submit`, {
      page: String(incomplete),
    });
  }
  const results = resultsOf(tool.definition, response.answers);
  await store.submitResponse(
    db,
    response.id,
    response.answers,
    results,
    shareWithOrganisation && tool.respondent === 'person',
  );
  return results;
}

/** Discards a response in progress. */
export async function discardResponse(db: Db, principal: Principal, responseId: string): Promise<void> {
  const { response } = await responseForPrincipal(db, principal, responseId);
  await store.deleteOpenResponse(db, response.id);
}

/** The principal's (or, for organisation tools, the organisation's) submitted responses to the tool, newest first. */
export async function assessmentHistory(
  db: Db,
  principal: Principal,
  toolKey: string,
  organisationId: string | null = null,
): Promise<(store.ResponseRow & { tool_version: number })[]> {
  const tool = await toolForPrincipal(db, principal, toolKey);
  return store.submittedResponses(db, toolKey, respondentOf(principal, tool, organisationId));
}

/** A required level the results fall short of: the item, the level required and the level given (null: none). */
export interface Gap {
  itemIdentifier: string;
  required: number;
  assessed: number | null;
}

/**
 * The requirements (of the tool's framework) that the results fall short of, in the order given. A requirement
 * without a level needs at least level 1.
 */
export function gapsAgainst(
  results: AssessmentResults,
  requirements: { itemIdentifier: string; level: number | null }[],
): Gap[] {
  const gaps: Gap[] = [];
  for (const requirement of requirements) {
    const required = requirement.level ?? 1;
    const assessed = results.items[requirement.itemIdentifier];
    if (assessed === undefined || assessed < required) {
      gaps.push({ itemIdentifier: requirement.itemIdentifier, required, assessed: assessed ?? null });
    }
  }
  return gaps;
}

// ---------------------------------------------------------------------------------------------------------------
// The learner's pages: their tools at a glance, saving a page to come back later, and the results report.

/** A tool the person may take, with their response in progress (if any) and their newest submitted one. */
export interface PersonalToolStatus {
  tool: store.ToolRow;
  inProgress: store.ResponseRow | null;
  lastSubmitted: store.ResponseRow | null;
}

/** Each tool the principal may take for themselves, with where they are with it. */
export async function personalToolStatus(db: Db, principal: Principal): Promise<PersonalToolStatus[]> {
  const respondent = { personId: principal.personId };
  const statuses: PersonalToolStatus[] = [];
  for (const tool of await personalTools(db, principal)) {
    const open = await store.openResponse(db, tool.key, respondent);
    const submitted = await store.submittedResponses(db, tool.key, respondent);
    statuses.push({ tool, inProgress: open ?? null, lastSubmitted: submitted[0] ?? null });
  }
  return statuses;
}

/**
 * Saves what is valid on one page of a response in progress so the person can come back later: questions left
 * unanswered are skipped (they are asked again before submitting), but an answer that is not allowed (a value not
 * offered, text that is too long) is refused with its error and nothing is saved, so nothing typed is lost unseen.
 */
export async function savePageForLater(
  db: Db,
  principal: Principal,
  responseId: string,
  pageIndex: number,
  form: Record<string, string | undefined>,
): Promise<{ errors: Record<string, string> } | { saved: true }> {
  const { response, tool, pages } = await responseForPrincipal(db, principal, responseId);
  if (response.status !== 'in_progress') throw new Conflict('This self-assessment has been submitted already.');
  const page = pages[pageIndex];
  if (page === undefined) throw new NotFound('No such page of the self-assessment.');
  const given = page.questions.filter((q) => q.optional === true || (form[q.key] ?? '').trim() !== '');
  const read = readPage(tool.definition, { group: page.group, questions: given }, form);
  if (Object.keys(read.errors).length > 0) return { errors: read.errors };
  const merged = { ...response.answers, ...read.answers };
  for (const key of read.cleared) Reflect.deleteProperty(merged, key);
  await store.saveAnswers(db, response.id, visibleAnswers(tool.definition, merged), principal.personId);
  return { saved: true };
}

/** A framework item in a report: its name, the level required (if any) and the level the person gave. */
export interface ReportItem {
  itemIdentifier: string;
  code: string | null;
  name: string;
  /** Required by the role profile; null when the item is not required (areas to develop). */
  required: number | null;
  /** The level given (a domain's mean for a domain); null when the item was not asked about. */
  assessed: number | null;
  gap: boolean;
}

/** Everything the results page shows about one submitted response. */
export interface AssessmentReport {
  response: store.ResponseRow;
  tool: store.ToolRow;
  results: AssessmentResults;
  /** At most `timelineLength` submitted responses up to and including this one, oldest first. */
  timeline: { id: string; submittedAt: Date; results: AssessmentResults }[];
  /** The role profile that applies to the person now, if any. */
  roleProfile: { id: string; name: string } | null;
  /** The profile's requirements from this tool's framework, in the profile's order. */
  requirements: ReportItem[];
  /** Items rated at level 1 or below, in the tool's order. */
  areasToDevelop: ReportItem[];
  /** Learning signposted for the gaps and the areas to develop, by item. */
  signposts: Map<string, SignpostRow[]>;
  /** The person's own reflections, with the question they answer. */
  reflections: { group: string; question: string; text: string }[];
}

/** Levels at or below this are "areas to develop", with or without a role profile. */
export const DEVELOP_AT_OR_BELOW = 1;

/**
 * The report on a submitted response of the principal's own (NotFound otherwise, including responses still in
 * progress and organisations' responses): results, change over time, gaps against the role profile that applies to
 * them, areas to develop and the learning signposted for both, and their reflections.
 */
export async function assessmentReport(
  db: Db,
  principal: Principal,
  responseId: string,
  timelineLength = 5,
): Promise<AssessmentReport> {
  const { response, tool } = await responseForPrincipal(db, principal, responseId);
  if (tool.respondent !== 'person' || response.status !== 'submitted' || response.results === null) {
    throw new NotFound('No results for this self-assessment yet.');
  }
  const results = response.results;
  const submittedAt = response.submitted_at ?? response.updated_at;
  const history = await store.submittedResponses(db, tool.key, { personId: principal.personId });
  const timeline = history
    .filter((h) => h.results !== null && (h.submitted_at ?? h.updated_at) <= submittedAt)
    .slice(0, timelineLength)
    .reverse()
    .map((h) => ({ id: h.id, submittedAt: h.submitted_at ?? h.updated_at, results: h.results ?? results }));

  // Names of what was asked: capabilities by their question, domains by their group.
  const names = new Map<string, string>();
  for (const group of tool.definition.groups) {
    if (group.itemIdentifier !== undefined) names.set(group.itemIdentifier, group.title);
    for (const q of group.questions) if (q.kind === 'scale') names.set(q.itemIdentifier, q.text);
  }
  // A requirement can name a domain: its level is the domain's mean.
  const levels = new Map<string, number>(Object.entries(results.items));
  for (const group of results.groups) {
    if (group.itemIdentifier !== null && group.level !== null && !levels.has(group.itemIdentifier)) {
      levels.set(group.itemIdentifier, group.level);
    }
  }

  const match = await roleProfileForPerson(db, principal);
  const requirements: ReportItem[] = [];
  if (match !== null) {
    const profile = await getRoleProfile(db, principal, match.profile.id);
    for (const r of profile.requirements) {
      if (r.frameworkIdentifier !== tool.framework_identifier) continue;
      const required = r.level ?? 1;
      const assessed = levels.get(r.itemIdentifier) ?? null;
      requirements.push({
        itemIdentifier: r.itemIdentifier,
        code: r.code,
        name: r.abbreviated ?? r.statement ?? names.get(r.itemIdentifier) ?? 'An item no longer in the framework',
        required,
        assessed,
        gap: assessed === null || assessed < required,
      });
    }
  }
  const areasToDevelop: ReportItem[] = [];
  for (const [itemIdentifier, assessed] of Object.entries(results.items)) {
    if (assessed > DEVELOP_AT_OR_BELOW) continue;
    const name = names.get(itemIdentifier) ?? itemIdentifier;
    areasToDevelop.push({ itemIdentifier, code: null, name, required: null, assessed, gap: false });
  }
  const wanted = [...new Set([...requirements.filter((r) => r.gap), ...areasToDevelop].map((i) => i.itemIdentifier))];
  const signposts = await signpostsForItems(db, principal, tool.framework_identifier, wanted);

  const reflections: AssessmentReport['reflections'] = [];
  for (const group of tool.definition.groups) {
    for (const q of group.questions) {
      const answer = response.answers[q.key];
      if (q.kind === 'text' && typeof answer === 'string' && answer !== '') {
        reflections.push({ group: group.title, question: q.text, text: answer });
      }
    }
  }
  return {
    response,
    tool,
    results,
    timeline,
    roleProfile: match === null ? null : { id: match.profile.id, name: match.profile.name },
    requirements,
    areasToDevelop,
    signposts,
    reflections,
  };
}
