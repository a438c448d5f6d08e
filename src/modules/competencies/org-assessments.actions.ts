// The action plan an organisation keeps against the domains of a self-assessment: actions with an owner, a due date
// and a status, listed by domain with overdue ones flagged, and exported as CSV. Admins of the organisation change
// it; platform admins may only look (org-assessments.service.ts decides who is who).

import type { Db } from '../../db/connection.js';
import type { Principal } from '../../platform/access.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { toCsv } from '../records/record.csv.js';
import type { ToolRow } from './assessments.service.js';
import {
  domainLevels,
  organisationScope,
  organisationTool,
  requireChange,
  type DomainLevel,
  type OrganisationScope,
} from './org-assessments.service.js';
import * as store from './org-assessments.store.js';
import type { ActionStatus } from './org-assessments.tables.js';
import { assessmentHistory } from './assessments.service.js';

export const ACTION_STATUSES: Record<ActionStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
};
export const ACTION_MAX_LENGTH = 500;
export const OWNER_MAX_LENGTH = 100;

/** What a person typed into the action form, as typed. */
export interface ActionFields {
  domain: string;
  action: string;
  owner: string;
  day: string;
  month: string;
  year: string;
  status: string;
}

/** An action as listed: its fields, its status in words, and whether it is overdue. */
export interface ActionView {
  id: string;
  groupKey: string;
  action: string;
  ownerName: string | null;
  dueDate: string | null;
  status: ActionStatus;
  statusLabel: string;
  overdue: boolean;
  updatedAt: Date;
  updatedByName: string | null;
}

/** Today's date in England, as YYYY-MM-DD: an action due today is not overdue until tomorrow. */
export function todayInEngland(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
}

function viewOf(row: store.ActionWithEditor, today: string): ActionView {
  return {
    id: row.id,
    groupKey: row.group_key,
    action: row.action,
    ownerName: row.owner_name,
    dueDate: row.due_date,
    status: row.status,
    statusLabel: ACTION_STATUSES[row.status],
    overdue: row.due_date !== null && row.status !== 'done' && row.due_date < today,
    updatedAt: row.updated_at,
    updatedByName: row.updated_by_name === '' ? null : row.updated_by_name,
  };
}

/** A domain of the plan: the tool's group, the organisation's latest level for it, and its actions. */
export interface PlanDomain {
  key: string;
  title: string;
  latest: DomainLevel | null;
  actions: ActionView[];
}

/** The organisation's action plan for the tool, by domain in the tool's order; overdue actions flagged as of today. */
export async function actionPlan(
  db: Db,
  principal: Principal,
  code: string,
  toolKey: string,
  today: string = todayInEngland(),
): Promise<{ scope: OrganisationScope; tool: ToolRow; domains: PlanDomain[]; overdue: number; total: number }> {
  const scope = await organisationScope(db, principal, code);
  const tool = await organisationTool(db, principal, scope, toolKey);
  const [rows, history] = await Promise.all([
    store.listActions(db, scope.organisation.id, toolKey),
    assessmentHistory(db, principal, toolKey, scope.organisation.id),
  ]);
  const results = history[0]?.results;
  const latest = results === null || results === undefined ? [] : domainLevels(results, tool.definition.scale);
  const actions = rows.map((row) => viewOf(row, today));
  const domains: PlanDomain[] = tool.definition.groups.map((group) => ({
    key: group.key,
    title: group.title,
    latest: latest.find((d) => d.key === group.key) ?? null,
    actions: actions.filter((a) => a.groupKey === group.key),
  }));
  // Actions on a domain a newer version of the questions no longer has are kept, under a heading of their own.
  const orphans = actions.filter((a) => !tool.definition.groups.some((g) => g.key === a.groupKey));
  if (orphans.length > 0) {
    domains.push({ key: 'other', title: 'Domains no longer in the self-assessment', latest: null, actions: orphans });
  }
  return {
    scope,
    tool,
    domains,
    overdue: actions.filter((a) => a.overdue).length,
    total: actions.length,
  };
}

/** The date of the day, month and year fields as YYYY-MM-DD, null when all are empty; Invalid naming what is wrong. */
function dueDateOf(fields: ActionFields): { date: string | null; error?: string } {
  const day = fields.day.trim();
  const month = fields.month.trim();
  const year = fields.year.trim();
  if (day === '' && month === '' && year === '') return { date: null };
  const missing = [day === '' ? 'day' : '', month === '' ? 'month' : '', year === '' ? 'year' : ''].filter(Boolean);
  if (missing.length > 0) return { date: null, error: `Due date must include a ${missing.join(' and ')}` };
  if (![day, month, year].every((part) => /^\d{1,4}$/.test(part))) {
    return { date: null, error: 'Due date must be a real date, for example 31 3 2027' };
  }
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (year.length !== 4 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { date: null, error: 'Due date must be a real date, for example 31 3 2027' };
  }
  if (y < 2000 || y > 2100) return { date: null, error: 'Due date must be between the years 2000 and 2100' };
  return { date: date.toISOString().slice(0, 10) };
}

/** The action form's fields checked: the values to store, or Invalid with an error for each field that needs one. */
export function checkActionFields(
  tool: ToolRow,
  fields: ActionFields,
): store.ActionValues & { groupKey: string; itemIdentifier: string | null } {
  const errors: Record<string, string> = {};
  const group = tool.definition.groups.find((g) => g.key === fields.domain);
  if (group === undefined) errors.domain = 'Select the domain the action is for';
  const action = fields.action.trim();
  if (action === '') errors.action = 'Enter the action';
  else if (action.length > ACTION_MAX_LENGTH) {
    errors.action = `The action must be ${String(ACTION_MAX_LENGTH)} characters or fewer`;
  }
  const owner = fields.owner.trim();
  if (owner.length > OWNER_MAX_LENGTH) {
    errors.owner = `The owner must be ${String(OWNER_MAX_LENGTH)} characters or fewer`;
  }
  const due = dueDateOf(fields);
  if (due.error !== undefined) errors['dueDate-day'] = due.error;
  if (!(fields.status in ACTION_STATUSES)) errors['status'] = 'Select the status of the action';
  if (Object.keys(errors).length > 0 || group === undefined) throw new Invalid('There is a problem', errors);
  return {
    groupKey: group.key,
    itemIdentifier: group.itemIdentifier ?? null,
    action,
    ownerName: owner === '' ? null : owner,
    dueDate: due.date,
    status: fields.status as ActionStatus,
  };
}

/** The form's fields for an existing action, to fill the form in. */
export function fieldsOf(action: ActionView): ActionFields {
  const [year, month, day] = action.dueDate === null ? ['', '', ''] : action.dueDate.split('-');
  return {
    domain: action.groupKey,
    action: action.action,
    owner: action.ownerName ?? '',
    day: day === undefined ? '' : String(Number(day)),
    month: month === undefined ? '' : String(Number(month)),
    year: year ?? '',
    status: action.status,
  };
}

/** Adds an action to the organisation's plan for the tool; Invalid with field errors when the form is not right. */
export async function addAction(
  db: Db,
  principal: Principal,
  scope: OrganisationScope,
  tool: ToolRow,
  fields: ActionFields,
): Promise<string> {
  requireChange(scope);
  const values = checkActionFields(tool, fields);
  return store.insertAction(db, {
    ...values,
    organisationId: scope.organisation.id,
    toolKey: tool.key,
    personId: principal.personId,
  });
}

/** One action of the organisation's plan for the tool, for anyone who may see the plan; NotFound otherwise. */
export async function actionOf(
  db: Db,
  principal: Principal,
  code: string,
  toolKey: string,
  actionId: string,
): Promise<{ scope: OrganisationScope; tool: ToolRow; action: ActionView }> {
  const scope = await organisationScope(db, principal, code);
  const tool = await organisationTool(db, principal, scope, toolKey);
  const row = isUuid(actionId) ? await store.findAction(db, scope.organisation.id, toolKey, actionId) : undefined;
  if (row === undefined) throw new NotFound('No such action in the plan.');
  return { scope, tool, action: viewOf(row, todayInEngland()) };
}

/** Changes an action of the plan; Invalid with field errors when the form is not right. */
export async function changeAction(
  db: Db,
  principal: Principal,
  scope: OrganisationScope,
  tool: ToolRow,
  actionId: string,
  fields: ActionFields,
): Promise<void> {
  requireChange(scope);
  const values = checkActionFields(tool, fields);
  const changed = await store.updateAction(db, scope.organisation.id, tool.key, actionId, {
    ...values,
    personId: principal.personId,
  });
  if (!changed) throw new NotFound('No such action in the plan.');
}

/** Removes an action from the plan. */
export async function removeAction(db: Db, scope: OrganisationScope, tool: ToolRow, actionId: string): Promise<void> {
  requireChange(scope);
  if (!(await store.deleteAction(db, scope.organisation.id, tool.key, actionId))) {
    throw new NotFound('No such action in the plan.');
  }
}

/** The action plan as CSV for a spreadsheet: one row per action, no cell a spreadsheet would run as a formula. */
export async function actionPlanCsv(
  db: Db,
  principal: Principal,
  code: string,
  toolKey: string,
  today: string = todayInEngland(),
): Promise<{ filename: string; csv: string }> {
  const plan = await actionPlan(db, principal, code, toolKey, today);
  const rows: (string | number | null)[][] = [
    ['Domain', 'Latest level', 'Action', 'Owner', 'Due date', 'Status', 'Overdue', 'Last updated', 'Updated by'],
  ];
  for (const domain of plan.domains) {
    for (const action of domain.actions) {
      rows.push([
        domain.title,
        domain.latest?.level === null || domain.latest === null
          ? ''
          : `${String(domain.latest.level)} ${domain.latest.label ?? ''}`.trim(),
        action.action,
        action.ownerName,
        action.dueDate,
        action.statusLabel,
        action.overdue ? 'Yes' : 'No',
        action.updatedAt.toISOString(),
        action.updatedByName,
      ]);
    }
  }
  return {
    filename: `${plan.scope.organisation.code.toLowerCase()}-${toolKey}-action-plan-${today}.csv`,
    csv: toCsv(rows),
  };
}
