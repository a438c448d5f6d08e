import type { Role } from '../../db/schema.js';
import { ROLES } from '../../platform/access.js';

// Pragmatic email check: one @, something before it, a dotted domain after it, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Field errors, keyed by field name; empty when everything is valid. */
export type FieldErrors = Record<string, string>;

export function checkEmail(errors: FieldErrors, field: string, value: string): void {
  if (value === '') errors[field] = 'Enter an email address';
  else if (value.length > 254 || !EMAIL.test(value)) {
    errors[field] = 'Enter an email address in the correct format, like name@example.nhs.uk';
  }
}

export function checkName(errors: FieldErrors, field: string, value: string, label: string): void {
  if (value === '') errors[field] = `Enter ${label}`;
  else if (value.length > 100)
    errors[field] = `${label[0]?.toUpperCase() ?? ''}${label.slice(1)} must be 100 characters or fewer`;
}

/** Passwords: at least 12 characters, at most 200; length over composition rules, as NCSC advises. */
export function checkPassword(errors: FieldErrors, field: string, value: string): void {
  if (value === '') errors[field] = 'Enter a password';
  else if (value.length < 12) errors[field] = 'Password must be 12 characters or more';
  else if (value.length > 200) errors[field] = 'Password must be 200 characters or fewer';
}

export function checkRoles(errors: FieldErrors, field: string, values: string[]): Role[] {
  const unknown = values.filter((v) => !(ROLES as readonly string[]).includes(v));
  if (unknown.length > 0) errors[field] = `Unknown role: ${unknown.join(', ')}. Allowed: ${ROLES.join(', ')}`;
  return values.filter((v): v is Role => (ROLES as readonly string[]).includes(v));
}

export const ORGANISATION_KINDS: Record<string, string> = {
  acute_trust: 'Acute hospital trust',
  community_trust: 'Community trust',
  mental_health_trust: 'Mental health trust',
  ambulance_trust: 'Ambulance trust',
  icb: 'Integrated care board',
  education_provider: 'Education provider',
  primary_care: 'Primary care',
  social_care: 'Social care',
  other: 'Other',
};

export function checkOrganisationCode(errors: FieldErrors, field: string, value: string): void {
  if (value === '') errors[field] = 'Enter an organisation code';
  else if (!/^[A-Z0-9]{3,10}$/.test(value)) {
    errors[field] = 'Organisation code must be 3 to 10 letters or numbers, like an ODS code (for example RX1)';
  }
}

/** Dates as YYYY-MM-DD, or DD/MM/YYYY as in an ESR export; returns ISO or undefined when invalid. */
export function parseDate(value: string): string | undefined {
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
    if (!match) return undefined;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}
