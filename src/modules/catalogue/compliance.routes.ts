// The compliance report pages: counts per subject and per group, the people behind them, and the CSV download.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Invalid } from '../../platform/errors.js';
import { queryText } from '../../platform/web.js';
import { toCsv } from '../records/record.csv.js';
import type { AppContext } from '../../server.js';
import {
  complianceCsvRows,
  complianceReport,
  GROUP_LABELS,
  groupLabel,
  groupOf,
  parseComplianceQuery,
  STATUS_LABELS,
  statusText,
  type ComplianceFilter,
  type ComplianceReport,
} from './compliance.service.js';

const QUERY_NAMES = ['by', 'subject', 'group', 'ungrouped', 'status', 'mandatory'] as const;
const PEOPLE_SHOWN = 1000;

function queryOf(request: FastifyRequest): Record<string, string> {
  return Object.fromEntries(QUERY_NAMES.map((name) => [name, queryText(request, name)]));
}

/** The query string for a filter, with changes; empty parts left out. */
function queryFor(filter: ComplianceFilter, change: Partial<ComplianceFilter> = {}): string {
  const f = { ...filter, ...change };
  const params = new URLSearchParams();
  if (f.by !== 'team') params.set('by', f.by);
  if (f.subject !== undefined) params.set('subject', f.subject);
  if (f.group === null) params.set('ungrouped', '1');
  else if (f.group !== undefined) params.set('group', f.group);
  if (f.status !== undefined) params.set('status', f.status);
  if (f.mandatoryOnly) params.set('mandatory', 'mandatory');
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function codeOf(request: FastifyRequest): string {
  return (request.params as { code: string }).code;
}

function breadcrumbs(report: Pick<ComplianceReport, 'org'>, here?: { href: string; text: string }) {
  const crumbs = [
    { href: '/', text: 'Home' },
    { href: '/admin', text: 'Admin' },
    { href: `/admin/organisations/${report.org.code}`, text: report.org.name },
  ];
  if (here !== undefined) crumbs.push(here);
  return crumbs;
}

/** Where a subject's page is. */
function subjectHref(key: string): string {
  const [kind, id] = key.split(':');
  return kind === 'programme' ? `/catalogue/programmes/${id ?? ''}` : `/catalogue/resources/${id ?? ''}`;
}

/** The compliance report for organisation admins. */
export async function complianceRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  const base = (code: string) => `/admin/organisations/${code}/compliance`;

  const filterItems = (report: ComplianceReport) => ({
    subjectItems: [
      { value: '', text: 'All assigned learning' },
      ...report.subjectChoices.map((s) => ({
        value: s.key,
        text: s.mandatory ? s.title : `${s.title} (recommended)`,
        selected: s.key === report.filter.subject,
      })),
    ],
    byItems: Object.entries(GROUP_LABELS).map(([value, text]) => ({
      value,
      text,
      selected: value === report.filter.by,
    })),
    mandatoryItems: [
      { value: 'all', text: 'Mandatory and recommended', selected: !report.filter.mandatoryOnly },
      { value: 'mandatory', text: 'Mandatory only', selected: report.filter.mandatoryOnly },
    ],
    statusItems: [
      { value: '', text: 'Any status' },
      ...Object.entries(STATUS_LABELS).map(([value, text]) => ({
        value,
        text,
        selected: value === report.filter.status,
      })),
    ],
  });

  app.get('/admin/organisations/:code/compliance', async (request, reply) => {
    const principal = signedIn(request);
    const filter = parseComplianceQuery(queryOf(request));
    const report = await complianceReport(
      db,
      principal,
      codeOf(request),
      { ...filter, group: undefined, status: undefined },
      new Date(),
    );
    const peopleHref = (change: Partial<ComplianceFilter>) =>
      `${base(report.org.code)}/people${queryFor(report.filter, change)}`;
    return reply.page('compliance-report.njk', {
      pageTitle: `Compliance report – ${report.org.name}`,
      report,
      ...filterItems(report),
      groupLabel: GROUP_LABELS[report.filter.by],
      subjects: report.subjects.map((s) => ({
        ...s,
        href: subjectHref(s.key),
        peopleHref: peopleHref({ subject: s.key }),
      })),
      groups: report.groups.map((g) => ({
        ...g,
        label: groupLabel(g.name),
        peopleHref: peopleHref({ group: g.name }),
      })),
      csvHref: `${base(report.org.code)}.csv${queryFor(report.filter)}`,
      breadcrumbs: breadcrumbs(report),
    });
  });

  app.get('/admin/organisations/:code/compliance/people', async (request, reply) => {
    const principal = signedIn(request);
    const filter = parseComplianceQuery(queryOf(request));
    const report = await complianceReport(db, principal, codeOf(request), filter, new Date());
    const subject = report.subjectChoices.find((s) => s.key === report.filter.subject);
    const scope = [
      subject?.title ?? (report.filter.mandatoryOnly ? 'All mandatory learning' : 'All assigned learning'),
      ...(report.filter.group === undefined
        ? []
        : [`${GROUP_LABELS[report.filter.by]}: ${groupLabel(report.filter.group)}`]),
      ...(report.filter.status === undefined ? [] : [STATUS_LABELS[report.filter.status]]),
    ];
    return reply.page('compliance-people.njk', {
      pageTitle: `People – Compliance report – ${report.org.name}`.slice(0, 110),
      report,
      ...filterItems(report),
      scope,
      hidden: {
        by: report.filter.by,
        subject: report.filter.subject ?? '',
        group: report.filter.group ?? '',
        ungrouped: report.filter.group === null ? '1' : '',
        mandatory: report.filter.mandatoryOnly ? 'mandatory' : '',
      },
      groupLabel: GROUP_LABELS[report.filter.by],
      total: report.people.length,
      people: report.people.slice(0, PEOPLE_SHOWN).map((i) => ({
        ...i,
        group: groupLabel(groupOf(i, report.filter.by)),
        statusText: statusText(i.status),
        subjectHref: subjectHref(i.subjectKey),
        certificateHref: i.completion === null ? undefined : `/my-learning/certificates/${i.completion.id}.pdf`,
      })),
      shown: PEOPLE_SHOWN,
      reportHref: `${base(report.org.code)}${queryFor(report.filter, { group: undefined, status: undefined })}`,
      csvHref: `${base(report.org.code)}.csv${queryFor(report.filter)}`,
      breadcrumbs: breadcrumbs(report, { href: base(report.org.code), text: 'Compliance report' }),
    });
  });

  app.get('/admin/organisations/:code/compliance.csv', async (request, reply) => {
    const principal = signedIn(request);
    let filter: ComplianceFilter;
    try {
      filter = parseComplianceQuery(queryOf(request));
    } catch (error) {
      if (error instanceof Invalid) throw new Invalid(Object.values(error.details)[0] ?? error.message, error.details);
      throw error;
    }
    const report = await complianceReport(db, principal, codeOf(request), filter, new Date());
    const name = `compliance-${report.org.code}-${new Date().toISOString().slice(0, 10)}`.toLowerCase();
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}.csv"`)
      .header('cache-control', 'no-store')
      .send(toCsv(complianceCsvRows(report)));
  });
}
