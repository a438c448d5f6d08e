import type { Db } from '../../db/connection.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { StaffImportRow } from '../../db/schema.js';
import { requireRole } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import type { Actor } from './identity.service.js';
import * as store from './identity.store.js';
import { checkEmail, type FieldErrors } from './identity.validate.js';
import { readStaffCsv } from './staff-import.csv.js';
import * as importStore from './staff-import.store.js';

export { MAX_IMPORT_ROWS, STAFF_IMPORT_COLUMNS, type StaffImportColumn } from './staff-import.csv.js';

const PROGRESS_EVERY = 500;

/** How far a long import has got, for a progress display. */
export interface StaffImportProgress {
  stage: 'check' | 'apply';
  done: number;
  total: number;
}

export interface StaffImportOptions {
  onProgress?: (progress: StaffImportProgress) => void;
}

export interface StaffImportPreview {
  rows: StaffImportRow[];
  /** Rows with at least one error. */
  errorCount: number;
}

export interface StaffImportResult {
  created: number;
  updated: number;
  joined: number;
}

function isValidEmail(email: string): boolean {
  const errors: FieldErrors = {};
  checkEmail(errors, 'email', email);
  return errors.email === undefined;
}

/**
 * Checks the rows against the people and memberships there now: sets each row's action, and flags an
 * assignment number held by someone else in the organisation. Returns the ids of people who exist.
 */
async function resolveAgainstDatabase(
  db: Db,
  organisation: { id: string; code: string },
  rows: StaffImportRow[],
): Promise<Map<string, string>> {
  const people = await importStore.peopleByEmail(db, rows.map((r) => r.email).filter(isValidEmail));
  const personByEmail = new Map(people.map((p) => [p.email, p.id]));
  const members = await importStore.membershipsMatching(
    db,
    organisation.id,
    'm.person_id',
    people.map((p) => p.id),
  );
  const memberIds = new Set(members.map((m) => m.personId));
  const holders = await importStore.membershipsMatching(
    db,
    organisation.id,
    'm.assignment_number',
    rows.map((r) => r.assignmentNumber).filter((n) => n !== ''),
  );
  const holderOf = new Map(holders.map((h) => [h.assignmentNumber, h]));
  for (const row of rows) {
    const personId = personByEmail.get(row.email);
    const holder = holderOf.get(row.assignmentNumber);
    if (holder !== undefined && holder.personId !== personId) {
      row.errors.push(
        `Assignment number ${row.assignmentNumber} already belongs to ${holder.email} in ${organisation.code}`,
      );
    }
    row.action =
      row.errors.length > 0 ? null : personId === undefined ? 'create' : memberIds.has(personId) ? 'update' : 'join';
  }
  return personByEmail;
}

async function importingOrganisation(db: Db, actor: Actor, organisationId: string): Promise<store.OrganisationRow> {
  if (actor.principal !== null) requireRole(actor.principal, organisationId, ['org_admin']);
  const organisation = await store.findOrganisationById(db, organisationId);
  if (organisation === undefined) throw new NotFound('Organisation not found');
  return organisation;
}

/**
 * Reads and checks a staff CSV for the organisation without saving anything: every row with its errors
 * and what importing it would do. Whole-file problems (empty, not CSV, missing columns, too many rows)
 * are thrown as Invalid with details.file. Org admins of the organisation, or the command line.
 */
export async function previewStaffImport(
  db: Db,
  actor: Actor,
  organisationId: string,
  csv: string | Uint8Array,
  options: StaffImportOptions = {},
): Promise<StaffImportPreview> {
  const organisation = await importingOrganisation(db, actor, organisationId);
  const rows = readStaffCsv(csv, organisation.code, (done, total) => {
    if (done % PROGRESS_EVERY === 0 && done < total) options.onProgress?.({ stage: 'check', done, total });
  });
  await resolveAgainstDatabase(db, organisation, rows);
  options.onProgress?.({ stage: 'check', done: rows.length, total: rows.length });
  return { rows, errorCount: rows.filter((r) => r.errors.length > 0).length };
}

/**
 * Checks a staff CSV (as previewStaffImport) and keeps the result for applyStaffImport, even when rows
 * have errors, so the preview and the import are of the same checked rows.
 */
export async function checkStaffImport(
  db: Db,
  actor: Actor,
  organisationId: string,
  fileName: string,
  csv: string | Uint8Array,
  options: StaffImportOptions = {},
): Promise<StaffImportPreview & { importId: string }> {
  const preview = await previewStaffImport(db, actor, organisationId, csv, options);
  const importId = await importStore.insertStaffImport(db, {
    organisationId,
    createdBy: actor.principal?.personId ?? null,
    fileName: fileName.trim().slice(0, 200) || 'staff.csv',
    rows: preview.rows,
    errorCount: preview.errorCount,
  });
  return { importId, ...preview };
}

/**
 * Imports a checked file in one transaction: creates people (without a password), adds or updates their
 * memberships (new members are learners; existing roles are kept), audits it and marks it applied.
 * Refuses a file with errors, one already applied, one of another organisation, or one whose rows now
 * conflict with what is in the database; then nothing is written.
 */
export async function applyStaffImport(
  db: Db,
  actor: Actor,
  organisationId: string,
  importId: string,
  options: StaffImportOptions = {},
): Promise<StaffImportResult> {
  const organisation = await importingOrganisation(db, actor, organisationId);
  try {
    return await db.transaction().execute(async (tx) => {
      const record = await importStore.findStaffImport(tx, importId, { forUpdate: true });
      if (record === undefined) throw new NotFound('Staff import not found');
      if (record.organisation_id !== organisationId) {
        throw new Invalid(`This import is for another organisation, not ${organisation.code}`);
      }
      if (record.applied_at !== null) throw new Invalid('This file has already been imported');
      if (record.error_count > 0) {
        throw new Invalid('This file has rows with errors, so nothing can be imported. Correct it and upload it again');
      }
      // The people and memberships may have changed since the preview: check again, under this transaction.
      const rows = record.rows.map((row) => ({ ...row, errors: [] as string[] }));
      const personByEmail = await resolveAgainstDatabase(tx, organisation, rows);
      const problems = rows.filter((r) => r.errors.length > 0);
      if (problems.length > 0) {
        throw new Invalid(
          'Staff records have changed since the file was checked, so nothing was imported. Upload the file again',
          Object.fromEntries(problems.slice(0, 20).map((r) => [`Line ${r.line}`, r.errors.join('; ')])),
        );
      }
      let done = 0;
      for (let i = 0; i < rows.length; i += PROGRESS_EVERY) {
        const part = rows.slice(i, i + PROGRESS_EVERY);
        const created = await importStore.insertPeopleWithoutPassword(
          tx,
          part.filter((r) => r.action === 'create'),
        );
        for (const person of created) personByEmail.set(person.email, person.id);
        await importStore.upsertImportedMemberships(
          tx,
          organisationId,
          part.map((r) => ({
            personId: personByEmail.get(r.email) ?? '',
            assignmentNumber: r.assignmentNumber,
            staffGroup: r.staffGroup || null,
            jobRole: r.jobRole || null,
            band: r.band || null,
            team: r.team || null,
            startDate: r.startDate,
          })),
        );
        done += part.length;
        options.onProgress?.({ stage: 'apply', done, total: rows.length });
      }
      const result: StaffImportResult = {
        created: rows.filter((r) => r.action === 'create').length,
        updated: rows.filter((r) => r.action === 'update').length,
        joined: rows.filter((r) => r.action === 'join').length,
      };
      await recordAudit(tx, {
        action: 'staff_import_applied',
        actorPersonId: actor.principal?.personId ?? null,
        organisationId,
        ip: actor.ip,
        requestId: actor.requestId,
        details: { importId, fileName: record.file_name, rows: rows.length, ...result },
      });
      await importStore.markStaffImportApplied(tx, importId);
      return result;
    });
  } catch (error) {
    // Another import or sign-up created the same person or assignment number at the same moment.
    if (isUniqueViolation(error)) {
      throw new Conflict('Staff records changed while importing, so nothing was imported. Upload the file again');
    }
    throw error;
  }
}
