// The organisation skills report pages: the report (choose the self-assessment, the grouping and how gaps are
// counted; a GET form, so it works without JavaScript and a report can be bookmarked) and its CSV download.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Invalid } from '../../platform/errors.js';
import type { AppContext } from '../../server.js';
import { toCsv } from '../records/record.csv.js';
import {
  GAP_MEASURES,
  GROUPINGS,
  MIN_GROUP_SIZE,
  skillsReportPage,
  type ReportCell,
  type ReportColumn,
  type ReportRow,
  type SkillsReport,
  type SkillsReportPage,
} from './skills-report.service.js';

/** In the CSV file, a number withheld to protect people (the ONS shorthand for "confidential"). */
export const CSV_WITHHELD = '[c]';

function queryOf(request: FastifyRequest): { tool?: string; by?: string; gaps?: string } {
  const query = request.query as Record<string, unknown>;
  const text = (name: string) => (typeof query[name] === 'string' ? query[name] : undefined);
  return { tool: text('tool'), by: text('by'), gaps: text('gaps') };
}

function orgCode(request: FastifyRequest): string {
  return (request.params as { code: string }).code;
}

function columnName(column: ReportColumn): string {
  return column.code === null ? column.label : `${column.code} ${column.label}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

function meanText(cell: ReportCell): string | null {
  return cell.shown ? cell.value.toFixed(1) : null;
}

function gapView(cell: ReportCell): { percent: string; of: string } | null {
  return cell.shown ? { percent: `${String(cell.value)}%`, of: `of ${cell.of.toLocaleString('en-GB')}` } : null;
}

function rowView(row: ReportRow) {
  return {
    label: row.label,
    people: row.people.toLocaleString('en-GB'),
    means: row.means.map(meanText),
    gaps: row.gaps.map(gapView),
  };
}

const CHART = { width: 640, barArea: 560, rowHeight: 52, top: 8, barHeight: 20 } as const;

/**
 * A bar chart of the whole organisation's mean level per domain (SVG geometry), when it is shown; each domain's name
 * sits above its bar so that long names need no room beside it. The table holds the same figures.
 */
function chartOf(report: SkillsReport) {
  if (report.total === null) return null;
  const max = Math.max(1, ...report.scale.map((p) => p.value));
  const rows: { label: string; labelY: number; barY: number; width: number; text: string; textX: number }[] = [];
  report.domains.forEach((domain, i) => {
    const cell = report.total?.means[i];
    if (cell === undefined || !cell.shown) return;
    const y = CHART.top + rows.length * CHART.rowHeight;
    const width = Math.round((cell.value / max) * CHART.barArea);
    rows.push({
      label: domain.label,
      labelY: y + 16,
      barY: y + 24,
      width,
      text: cell.value.toFixed(1),
      textX: width + 6,
    });
  });
  return rows.length === 0
    ? null
    : { ...CHART, height: CHART.top + rows.length * CHART.rowHeight + 4, rows, max: String(max) };
}

function reportView(report: SkillsReport) {
  const grouping = GROUPINGS[report.grouping];
  const notShown =
    report.groupsTooSmall === 0
      ? undefined
      : `${plural(report.groupsTooSmall, grouping.label.toLowerCase(), grouping.plural)} with fewer than ` +
        `${String(MIN_GROUP_SIZE)} people ${report.groupsTooSmall === 1 ? 'is' : 'are'} not shown.`;
  const withheld =
    report.groupsWithheld === 0
      ? undefined
      : `${plural(report.groupsWithheld, `more ${grouping.label.toLowerCase()}`, `more ${grouping.plural}`)} ` +
        `${report.groupsWithheld === 1 ? 'is' : 'are'} not shown, because with the other figures ` +
        `${report.groupsWithheld === 1 ? 'it' : 'they'} would reveal the results of fewer than ${String(MIN_GROUP_SIZE)} people.`;
  return {
    groupingLabel: grouping.label,
    groupingLower: grouping.label.toLowerCase(),
    gapMeasure: report.gapMeasure,
    scale: report.scale.map((p) => `${String(p.value)} ${p.label}`).join(', '),
    domains: report.domains.map((d) => ({ code: d.code, label: d.label })),
    gapColumns: report.gapColumns.map((c) => ({ code: c.code, label: c.label })),
    rows: report.rows.map(rowView),
    total: report.total === null ? null : rowView(report.total),
    notShown,
    withheld,
    cellsWithheld: report.cellsWithheld,
    chart: chartOf(report),
  };
}

function selectItems(options: { value: string; text: string }[], selected: string) {
  return options.map((o) => ({ ...o, selected: o.value === selected }));
}

function pageData(page: SkillsReportPage) {
  const { org, values } = page;
  const exportQuery = new URLSearchParams(values).toString();
  return {
    pageTitle: `Skills report – ${org.name}`,
    org,
    minGroupSize: MIN_GROUP_SIZE,
    toolItems: selectItems(
      page.tools.map((t) => ({ value: t.key, text: t.title })),
      values.tool,
    ),
    byItems: selectItems(
      Object.entries(GROUPINGS).map(([value, g]) => ({ value, text: g.label })),
      values.by,
    ),
    gapsItems: selectItems(
      Object.entries(GAP_MEASURES).map(([value, text]) => ({ value, text })),
      values.gaps,
    ),
    errors: Object.keys(page.errors).length > 0 ? page.errors : undefined,
    report: page.report === null ? null : reportView(page.report),
    toolTitle: page.report?.tool.title,
    csvHref: `/admin/organisations/${org.code}/skills/export.csv?${exportQuery}`,
    breadcrumbs: [
      { href: '/', text: 'Home' },
      { href: '/admin', text: 'Admin' },
      { href: `/admin/organisations/${org.code}`, text: org.name },
    ],
  };
}

/** The report as rows of CSV cells: the same figures as the page's two tables, side by side. */
export function reportCsvRows(report: SkillsReport): (string | number)[][] {
  const gapWord = report.gapMeasure === 'domain' ? 'in domain' : 'on';
  const header = [
    GROUPINGS[report.grouping].label,
    'People included',
    ...report.domains.map((d) => `Mean level: ${columnName(d)}`),
    ...report.gapColumns.flatMap((c) => [
      `People with a gap ${gapWord} ${columnName(c)} (%)`,
      `People it is required of: ${columnName(c)}`,
    ]),
  ];
  const line = (row: ReportRow): (string | number)[] => [
    row.label,
    row.people,
    ...row.means.map((c) => (c.shown ? c.value : CSV_WITHHELD)),
    ...row.gaps.flatMap((c): (string | number)[] => (c.shown ? [c.value, c.of] : [CSV_WITHHELD, CSV_WITHHELD])),
  ];
  return [header, ...report.rows.map(line), ...(report.total === null ? [] : [line(report.total)])];
}

/** The skills report page and its CSV download. */
export async function skillsReportRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;

  app.get('/admin/organisations/:code/skills', async (request, reply) => {
    const page = await skillsReportPage(db, signedIn(request), orgCode(request), queryOf(request));
    const status = Object.keys(page.errors).length > 0 ? 400 : 200;
    return reply.page('skills-report.njk', pageData(page), status);
  });

  app.get('/admin/organisations/:code/skills/export.csv', async (request, reply) => {
    const page = await skillsReportPage(db, signedIn(request), orgCode(request), queryOf(request));
    if (page.report === null) {
      throw new Invalid(Object.values(page.errors)[0] ?? 'There is a problem', page.errors);
    }
    const day = new Date().toISOString().slice(0, 10);
    const name = `skills-${page.report.tool.key}-by-${page.report.grouping}-${page.org.code}-${day}`
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}.csv"`)
      .header('cache-control', 'no-store')
      .send(toCsv(reportCsvRows(page.report)));
  });
}
