// Certificates of completion: the PDF for the learner (and for the organisation admins of where they work now), and
// the public check of a certificate number, which says only whose it is, for what, when, and whether it is valid.
import type { Db } from '../../db/connection.js';
import { hasRole, type Principal } from '../../platform/access.js';
import { NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { certificatePdf } from './certificates.pdf.js';
import {
  certificateById,
  certificateByNumber,
  currentOrganisationsOf,
  type CertificateRow,
} from './certificates.store.js';

/** The name that issues certificates. */
export const ISSUER = 'Tessera';

/** Where anyone can check a certificate number. */
export function verifyUrl(publicUrl: string, certificateNumber: string): string {
  return `${publicUrl}/certificates/${encodeURIComponent(certificateNumber)}`;
}

/** The completion's certificate, for its learner or an org admin of an organisation the learner works for now. */
async function certificateFor(db: Db, principal: Principal, completionId: string): Promise<CertificateRow> {
  const row = isUuid(completionId) ? await certificateById(db, completionId.toLowerCase()) : undefined;
  if (row === undefined) throw new NotFound('There is no such certificate.');
  if (row.person_id === principal.personId) return row;
  const employers = await currentOrganisationsOf(db, row.person_id);
  if (employers.some((id) => hasRole(principal, id, ['org_admin']))) return row;
  // Not "forbidden": nobody else may learn that the completion exists.
  throw new NotFound('There is no such certificate.');
}

/** A file name for a certificate: ASCII, no spaces, with the learning's title and the number. */
export function certificateFilename(row: Pick<CertificateRow, 'title' | 'certificate_number'>): string {
  const slug = row.title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `certificate-${slug === '' ? '' : `${slug}-`}${row.certificate_number}.pdf`;
}

/**
 * The certificate of a completion as a PDF, with its file name. NotFound unless the principal is its learner, or an
 * org admin of an organisation the learner works for now.
 */
export async function certificateDocument(
  db: Db,
  principal: Principal,
  publicUrl: string,
  completionId: string,
): Promise<{ pdf: Buffer; filename: string }> {
  const row = await certificateFor(db, principal, completionId);
  const pdf = await certificatePdf({
    certificateNumber: row.certificate_number,
    learnerName: `${row.given_name} ${row.family_name}`,
    resourceTitle: row.title,
    completedOn: new Date(row.completed_at),
    expiresOn: row.expires_at === null ? null : new Date(row.expires_at),
    ...(row.score === null ? {} : { score: row.score }),
    ...(row.organisation_name === null ? {} : { organisationName: row.organisation_name }),
    ...(row.provider === null ? {} : { provider: row.provider }),
    issuedBy: ISSUER,
    verifyUrl: verifyUrl(publicUrl, row.certificate_number),
  });
  return { pdf, filename: certificateFilename(row) };
}

/** What the public check of a certificate shows: nothing beyond whose it is, for what, when and whether valid. */
export interface CertificateCheck {
  certificateNumber: string;
  holder: string;
  title: string;
  completedOn: Date;
  expiresOn: Date | null;
  valid: boolean;
}

const NUMBER = /^TSR-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

/** A certificate number as typed, tidied (upper case, no spaces); undefined when it cannot be one. */
export function tidyCertificateNumber(text: string): string | undefined {
  const number = text.trim().toUpperCase().replace(/\s+/g, '');
  return NUMBER.test(number) ? number : undefined;
}

/** The public check of a certificate number; undefined when no certificate has it. */
export async function checkCertificate(db: Db, text: string, now: Date): Promise<CertificateCheck | undefined> {
  const number = tidyCertificateNumber(text);
  const row = number === undefined ? undefined : await certificateByNumber(db, number);
  if (row === undefined) return undefined;
  const expiresOn = row.expires_at === null ? null : new Date(row.expires_at);
  return {
    certificateNumber: row.certificate_number,
    holder: `${row.given_name} ${row.family_name}`,
    title: row.title,
    completedOn: new Date(row.completed_at),
    expiresOn,
    valid: expiresOn === null || expiresOn.getTime() > now.getTime(),
  };
}
