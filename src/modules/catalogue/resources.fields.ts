// The descriptive fields every resource has, checked the same way for the pages, the API and the command line.
import { isUuid } from '../../platform/ids.js';
import type { ResourceType } from './catalogue.tables.js';

export const RESOURCE_TYPES: readonly ResourceType[] = [
  'scorm12',
  'scorm2004',
  'cmi5',
  'video',
  'audio',
  'document',
  'image',
  'link',
  'article',
  'assessment',
];

export const RESOURCE_TYPE_LABELS: Record<ResourceType, string> = {
  scorm12: 'eLearning (SCORM 1.2)',
  scorm2004: 'eLearning (SCORM 2004)',
  cmi5: 'eLearning (cmi5)',
  video: 'Video',
  audio: 'Audio',
  document: 'Document',
  image: 'Image',
  link: 'Web link',
  article: 'Article',
  assessment: 'Assessment',
};

/** The fields as typed by a person or sent by a client: text, lists as comma- or line-separated text. */
export interface ResourceFieldsInput {
  title: string;
  description: string;
  keywords: string | string[];
  audienceStaffGroups: string | string[];
  audienceJobRoles: string | string[];
  competencies: string | string[];
  durationMinutes: string | number;
  provider: string;
  licence: string;
  reviewDate: string;
  validityMonths: string | number;
}

/** The checked values, as stored. */
export interface ResourceFields {
  title: string;
  description: string;
  keywords: string[];
  audience_staff_groups: string[];
  audience_job_roles: string[];
  competencies: string[];
  duration_minutes: number | null;
  provider: string | null;
  licence: string | null;
  review_date: string | null;
  validity_months: number | null;
}

/** Splits a list typed as comma- or line-separated text; trims, drops blanks and repeats (case-insensitively). */
export function listOf(value: string | string[]): string[] {
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(/[,\n]/));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of parts) {
    const item = part.trim();
    if (item === '' || seen.has(item.toLowerCase())) continue;
    seen.add(item.toLowerCase());
    out.push(item);
  }
  return out;
}

function wholeNumber(value: string | number): number | null | 'bad' {
  if (typeof value === 'number') return Number.isInteger(value) ? value : 'bad';
  const text = value.trim();
  if (text === '') return null;
  return /^\d{1,6}$/.test(text) ? Number(text) : 'bad';
}

function isRealDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/**
 * Checks the descriptive fields; returns the values to store, or errors keyed by field name (title, description,
 * keywords, audienceStaffGroups, audienceJobRoles, competencies, durationMinutes, provider, licence, reviewDate,
 * validityMonths) saying what is wrong in words a person can act on.
 */
export function checkResourceFields(
  input: ResourceFieldsInput,
): { values: ResourceFields } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const title = input.title.trim();
  const description = input.description.trim();
  if (title === '') errors.title = 'Enter a title';
  else if (title.length > 200) errors.title = 'The title must be 200 characters or fewer';
  if (description.length > 5000) errors.description = 'The description must be 5,000 characters or fewer';
  const keywords = listOf(input.keywords);
  if (keywords.length > 30) errors.keywords = 'Enter 30 keywords or fewer';
  else if (keywords.some((k) => k.length > 60)) errors.keywords = 'Each keyword must be 60 characters or fewer';
  const staffGroups = listOf(input.audienceStaffGroups);
  const jobRoles = listOf(input.audienceJobRoles);
  if (staffGroups.length > 30 || staffGroups.some((s) => s.length > 100)) {
    errors.audienceStaffGroups = 'Enter up to 30 staff groups of 100 characters or fewer';
  }
  if (jobRoles.length > 50 || jobRoles.some((s) => s.length > 100)) {
    errors.audienceJobRoles = 'Enter up to 50 job roles of 100 characters or fewer';
  }
  const competencies = listOf(input.competencies).map((c) => c.toLowerCase());
  if (competencies.some((c) => !isUuid(c))) errors.competencies = 'Choose competencies from a framework';
  const duration = wholeNumber(input.durationMinutes);
  if (duration === 'bad' || (duration !== null && (duration < 1 || duration > 100_000))) {
    errors.durationMinutes = 'Enter the duration as a whole number of minutes, like 45';
  }
  const validity = wholeNumber(input.validityMonths);
  if (validity === 'bad' || (validity !== null && (validity < 1 || validity > 120))) {
    errors.validityMonths = 'Enter how many months a completion stays valid, from 1 to 120, or leave it empty';
  }
  const provider = input.provider.trim();
  const licence = input.licence.trim();
  if (provider.length > 200) errors.provider = 'The provider must be 200 characters or fewer';
  if (licence.length > 200) errors.licence = 'The licence must be 200 characters or fewer';
  const reviewDate = input.reviewDate.trim();
  if (reviewDate !== '' && !isRealDate(reviewDate)) errors.reviewDate = 'Enter a real review date, like 2027-03-31';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    values: {
      title,
      description,
      keywords,
      audience_staff_groups: staffGroups,
      audience_job_roles: jobRoles,
      competencies,
      duration_minutes: duration === 'bad' ? null : duration,
      provider: provider === '' ? null : provider,
      licence: licence === '' ? null : licence,
      review_date: reviewDate === '' ? null : reviewDate,
      validity_months: validity === 'bad' ? null : validity,
    },
  };
}

/** Empty input, for a new resource's form. */
export function blankResourceFields(): ResourceFieldsInput {
  return {
    title: '',
    description: '',
    keywords: '',
    audienceStaffGroups: '',
    audienceJobRoles: '',
    competencies: [],
    durationMinutes: '',
    provider: '',
    licence: '',
    reviewDate: '',
    validityMonths: '',
  };
}
