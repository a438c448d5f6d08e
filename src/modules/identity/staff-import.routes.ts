import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffImportRow } from '../../db/schema.js';
import type { Principal } from '../../platform/access.js';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import type { AppContext } from '../../server.js';
import { organisationForAdmin } from './identity.service.js';
import type { OrganisationRow } from './identity.store.js';
import { applyStaffImport, checkStaffImport, MAX_IMPORT_ROWS, STAFF_IMPORT_COLUMNS } from './staff-import.service.js';
import { isUuid } from '../../platform/ids.js';

// A preview of thousands of rows would be slow to render and to read; rows with errors are shown first.
const PREVIEW_ROWS = 200;
const SUMMARY_ERRORS = 20;
// The multipart parser keeps only the bytes, not the browser's file name.
const UPLOADED_FILE_NAME = 'uploaded.csv';

function crumbs(org: { code: string; name: string }) {
  return [
    { href: '/', text: 'Home' },
    { href: '/admin', text: 'Admin' },
    { href: `/admin/organisations/${org.code}`, text: org.name },
  ];
}

function uploadPage(org: OrganisationRow, error?: string) {
  return {
    pageTitle: 'Import staff',
    org,
    columns: STAFF_IMPORT_COLUMNS,
    maxRows: MAX_IMPORT_ROWS.toLocaleString('en-GB'),
    errors: error === undefined ? undefined : { file: error },
    breadcrumbs: crumbs(org),
  };
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

function previewPage(org: OrganisationRow, importId: string, rows: StaffImportRow[], errorCount: number) {
  const count = (action: StaffImportRow['action']) => rows.filter((r) => r.action === action).length;
  const withErrors = rows.filter((r) => r.errors.length > 0);
  const shown = [...withErrors, ...rows.filter((r) => r.errors.length === 0)]
    .slice(0, PREVIEW_ROWS)
    .sort((a, b) => a.line - b.line);
  const summary =
    `${plural(rows.length, 'row', 'rows')}: ${plural(count('create'), 'new person', 'new people')}, ` +
    `${plural(count('update'), 'update', 'updates')}, ${count('join').toLocaleString('en-GB')} joining; ` +
    `${plural(errorCount, 'row', 'rows')} with errors`;
  const errors =
    errorCount === 0
      ? undefined
      : Object.fromEntries(
          withErrors.slice(0, SUMMARY_ERRORS).map((r) => [`line-${r.line}`, `Line ${r.line}: ${r.errors.join('; ')}`]),
        );
  return {
    pageTitle: 'Check the staff import',
    org,
    importId,
    rows: shown,
    total: rows.length,
    summary,
    errorCount,
    errors,
    errorMessage:
      errorCount === 0
        ? undefined
        : `${plural(errorCount, 'row has', 'rows have')} errors, so nothing can be imported. ` +
          (errorCount > SUMMARY_ERRORS ? `The first ${SUMMARY_ERRORS} are listed. ` : '') +
          'Correct the file and upload it again.',
    breadcrumbs: [...crumbs(org), { href: `/admin/organisations/${org.code}/import`, text: 'Import staff' }],
  };
}

/** Multipart limits (file too large, more than one file) arrive as errors before the handler runs. */
function uploadLimitMessage(error: FastifyError): string | undefined {
  if (error.code === 'FST_REQ_FILE_TOO_LARGE') return 'The selected file must be smaller than 5 MB';
  if (error.code === 'FST_FILES_LIMIT') return 'Select one CSV file';
  if (error.code === 'FST_PARTS_LIMIT' || error.code === 'FST_FIELDS_LIMIT') return 'Select a CSV file';
  return undefined;
}

/** Staff import pages: upload a CSV, check the preview, then import it all or nothing. */
export async function staffImportRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  const actorOf = (request: FastifyRequest, principal: Principal) => ({
    principal,
    ip: request.ip,
    requestId: request.id,
  });
  const orgOf = (request: FastifyRequest, principal: Principal) =>
    organisationForAdmin(db, principal, (request.params as { code: string }).code);

  app.get('/admin/organisations/:code/import', async (request, reply) => {
    const org = await orgOf(request, signedIn(request));
    return reply.page('admin/import.njk', uploadPage(org));
  });

  app.post(
    '/admin/organisations/:code/import',
    {
      // Fastify awaits an async error handler, and hands what it throws on to the app's own error handler.
      // eslint-disable-next-line @typescript-eslint/no-misused-promises
      errorHandler: async (error: FastifyError, request, reply: FastifyReply) => {
        const message = uploadLimitMessage(error);
        if (message === undefined) throw error;
        const org = await orgOf(request, signedIn(request));
        return reply.page('admin/import.njk', uploadPage(org, message), 400);
      },
    },
    async (request, reply) => {
      const principal = signedIn(request);
      const org = await orgOf(request, principal);
      const file = (request.body as Record<string, unknown> | null | undefined)?.file;
      if (!Buffer.isBuffer(file) || file.length === 0) {
        const message = Buffer.isBuffer(file) ? 'The selected file is empty' : 'Select a CSV file';
        return reply.page('admin/import.njk', uploadPage(org, message), 400);
      }
      try {
        const checked = await checkStaffImport(db, actorOf(request, principal), org.id, UPLOADED_FILE_NAME, file);
        return reply.page(
          'admin/import-preview.njk',
          previewPage(org, checked.importId, checked.rows, checked.errorCount),
        );
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        return reply.page('admin/import.njk', uploadPage(org, error.details.file ?? error.message), 400);
      }
    },
  );

  app.post('/admin/organisations/:code/import/:importId/apply', async (request, reply) => {
    const principal = signedIn(request);
    const org = await orgOf(request, principal);
    const { importId } = request.params as { importId: string };
    if (!isUuid(importId)) throw new NotFound('Staff import not found');
    try {
      const result = await applyStaffImport(db, actorOf(request, principal), org.id, importId);
      return reply.page('admin/import-result.njk', {
        pageTitle: 'Staff imported',
        org,
        result,
        breadcrumbs: crumbs(org),
      });
    } catch (error) {
      if (!(error instanceof Invalid || error instanceof Conflict)) throw error;
      // Refused (errors, already imported, data changed): say why, on the page to upload a file again.
      const details = Object.entries(error.details).map(([line, message]) => `${line}: ${message}`);
      return reply.page('admin/import.njk', uploadPage(org, [error.message, ...details].join('. ')), error.status);
    }
  });
}
