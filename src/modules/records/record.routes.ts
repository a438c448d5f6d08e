import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Invalid } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { field, formFields } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { toCsv } from './record.csv.js';
import { londonDay, londonDateTime, londonDayStart } from './record.describe.js';
import {
  exportRecord,
  organisationRecordOverview,
  setRecordSharing,
  sharingChoices,
  timelinePage,
  verbsInRecord,
  type RecordCursor,
  type RecordFilter,
} from './record.service.js';
import { isIri } from './xapi.formats.js';

/** The filter form's fields as the learner typed them, to show again and to carry into links. */
type FilterValues = Record<(typeof FILTER_FIELDS)[number], string>;

const FILTER_FIELDS = ['verb', 'fromDay', 'fromMonth', 'fromYear', 'toDay', 'toMonth', 'toYear'] as const;
const PAGE_CURSOR = /^[1-9][0-9]{0,14}$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** One NHS.UK date input (day, month, year) as a date, or an error for its first field. */
function readDate(
  values: FilterValues,
  which: 'from' | 'to',
  label: string,
  errors: Record<string, string>,
): { year: number; month: number; day: number } | undefined {
  const parts = { day: values[`${which}Day`], month: values[`${which}Month`], year: values[`${which}Year`] };
  const given = Object.entries(parts).filter(([, v]) => v !== '');
  if (given.length === 0) return undefined;
  const key = `${which}-day`;
  if (given.length < 3) {
    const missing = Object.entries(parts)
      .filter(([, v]) => v === '')
      .map(([k]) => k);
    errors[key] = `${label} must include a ${missing.join(' and a ')}`;
    return undefined;
  }
  const day = /^\d{1,2}$/.test(parts.day) ? Number(parts.day) : NaN;
  const month = /^\d{1,2}$/.test(parts.month) ? Number(parts.month) : NaN;
  const year = /^\d{4}$/.test(parts.year) ? Number(parts.year) : NaN;
  if (!(year >= 1900 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month))) {
    errors[key] = `${label} must be a real date, for example 3 5 2026`;
    return undefined;
  }
  return { year, month, day };
}

/** Reads the record page's query: the filters (with errors to show beside them) and the page cursor. */
function readRecordQuery(request: FastifyRequest): {
  values: FilterValues;
  filter: RecordFilter;
  cursor: RecordCursor;
  errors: Record<string, string>;
} {
  const query = request.query as Record<string, string | undefined>;
  const values = Object.fromEntries(FILTER_FIELDS.map((f) => [f, (query[f] ?? '').trim()])) as FilterValues;
  const errors: Record<string, string> = {};
  const filter: RecordFilter = {};
  if (values.verb !== '') {
    if (isIri(values.verb)) filter.verbId = values.verb;
    else errors.verb = 'Select what you did from the list';
  }
  const from = readDate(values, 'from', 'Date from', errors);
  const to = readDate(values, 'to', 'Date to', errors);
  if (from !== undefined) filter.from = londonDayStart(from.year, from.month, from.day);
  if (to !== undefined) filter.to = londonDayStart(to.year, to.month, to.day + 1);
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) {
    errors['to-day'] = 'Date to must be the same as or after date from';
  }
  const cursor: RecordCursor = {};
  for (const name of ['after', 'before'] as const) {
    const value = query[name];
    if (value === undefined) continue;
    if (!PAGE_CURSOR.test(value)) {
      throw new Invalid('This page link is not valid. Go back to My learning record and try again.', {
        [name]: 'must be a page token from a Next or Previous link',
      });
    }
    cursor[name] = Number(value);
  }
  if (cursor.after !== undefined && cursor.before !== undefined) {
    throw new Invalid('This page link is not valid. Go back to My learning record and try again.', {
      before: 'cannot be used with after',
    });
  }
  return { values, filter, cursor, errors };
}

/** The filters as a query string (empty fields left out), with extra parameters such as a page cursor. */
function queryOf(values: FilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...values, ...extra })) if (value !== '') params.set(name, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function download(reply: FastifyReply, type: string, name: string, body: string): FastifyReply {
  return reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

/** The learner's own learning record (timeline, exports, sharing) and the organisation admin's overview. */
export async function recordRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  const home = { href: '/', text: 'Home' };

  app.get('/my-learning-record', async (request, reply) => {
    const principal = signedIn(request);
    const { values, filter, cursor, errors } = readRecordQuery(request);
    const verbs = await verbsInRecord(db, principal);
    const filtered = filter.verbId !== undefined || filter.from !== undefined || filter.to !== undefined;
    const data = {
      pageTitle: 'My learning record',
      values,
      verbItems: [{ value: '', text: 'Everything' }, ...verbs].map((v) => ({
        ...v,
        selected: v.value === values.verb,
      })),
      filtered,
      exportQuery: queryOf(values),
      breadcrumbs: [home],
    };
    if (Object.keys(errors).length > 0) {
      return reply.page('my-learning-record.njk', { ...data, errors, errorMessage: 'There is a problem' }, 400);
    }
    const page = await timelinePage(db, principal, filter, cursor);
    return reply.page('my-learning-record.njk', {
      ...data,
      lines: page.lines,
      previous:
        page.newer === undefined
          ? undefined
          : {
              href: `/my-learning-record${queryOf(values, { before: String(page.newer) })}`,
              labelText: 'Newer entries',
            },
      next:
        page.older === undefined
          ? undefined
          : {
              href: `/my-learning-record${queryOf(values, { after: String(page.older) })}`,
              labelText: 'Older entries',
            },
    });
  });

  const exportFor = async (request: FastifyRequest) => {
    const principal = signedIn(request);
    const { filter, errors } = readRecordQuery(request);
    if (Object.keys(errors).length > 0) throw new Invalid(Object.values(errors)[0] ?? 'There is a problem', errors);
    return { ...(await exportRecord(db, principal, filter)), day: londonDay(new Date()) };
  };

  app.get('/my-learning-record/export.json', async (request, reply) => {
    const { statements, day } = await exportFor(request);
    return download(
      reply,
      'application/json; charset=utf-8',
      `learning-record-${day}.json`,
      JSON.stringify(statements, null, 2),
    );
  });

  app.get('/my-learning-record/export.csv', async (request, reply) => {
    const { lines, day } = await exportFor(request);
    const rows = lines.map((l) => [
      l.when === '' ? '' : londonDateTime(new Date(l.when)),
      l.verb,
      l.object,
      l.score,
      l.success,
      l.completion,
      l.duration,
      l.organisation,
      l.id,
    ]);
    const header = [
      'Date',
      'Verb',
      'Activity',
      'Score',
      'Success',
      'Completion',
      'Duration',
      'Recorded by',
      'Statement ID',
    ];
    return download(reply, 'text/csv; charset=utf-8', `learning-record-${day}.csv`, toCsv([header, ...rows]));
  });

  app.get('/my-learning-record/sharing', async (request, reply) => {
    const principal = signedIn(request);
    const choices = await sharingChoices(db, principal);
    const query = request.query as Record<string, string | undefined>;
    const changed = choices.find((c) => c.organisationId === (query.shared ?? query.stopped));
    const flash =
      changed === undefined
        ? undefined
        : query.shared !== undefined
          ? `Your learning record is now shared with ${changed.name}`
          : `You have stopped sharing your learning record with ${changed.name}`;
    return reply.page('my-learning-record-sharing.njk', {
      pageTitle: 'Who can see your learning record',
      choices,
      flash,
      breadcrumbs: [home, { href: '/my-learning-record', text: 'My learning record' }],
    });
  });

  app.post('/my-learning-record/sharing', async (request, reply) => {
    const principal = signedIn(request);
    const fields = formFields(request);
    const organisationId = field(fields, 'organisation');
    const action = field(fields, 'action');
    if (!isUuid(organisationId)) {
      throw new Invalid('Choose one of your organisations.', { organisation: 'must be one of your organisations' });
    }
    if (action !== 'share' && action !== 'stop') {
      throw new Invalid('Choose to share or to stop sharing.', { action: 'must be share or stop' });
    }
    await setRecordSharing(
      db,
      { principal, ip: request.ip, requestId: request.id },
      principal.personId,
      organisationId.toLowerCase(),
      action === 'share',
    );
    const done = action === 'share' ? 'shared' : 'stopped';
    return reply.redirect(`/my-learning-record/sharing?${done}=${organisationId.toLowerCase()}`, 303);
  });

  app.get('/admin/organisations/:code/learning-record', async (request, reply) => {
    const principal = signedIn(request);
    const overview = await organisationRecordOverview(db, principal, (request.params as { code: string }).code);
    return reply.page('admin-learning-record.njk', {
      pageTitle: `Learning record – ${overview.org.name}`,
      ...overview,
      breadcrumbs: [
        home,
        { href: '/admin', text: 'Admin' },
        { href: `/admin/organisations/${overview.org.code}`, text: overview.org.name },
      ],
    });
  });
}
