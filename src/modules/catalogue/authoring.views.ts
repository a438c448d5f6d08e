// What the authoring pages show and read: the kinds of thing an author can add, the descriptive fields as typed, the
// content fields of each kind, and a refused package's problems laid out for the error summary.
import type { FastifyRequest } from 'fastify';
import { field, type formFields } from '../../platform/web.js';
import type { ContentInput, ContentType } from './authoring.content.js';
import { competencyCodes, resolveCompetencies, type CompetencyLookup } from './authoring.competencies.js';
import type { PackageInvalid } from './packages/package.types.js';
import type { PackageFormat } from './packages.service.js';
import type { ResourceFieldsInput } from './resources.fields.js';
import type { ResourceRow } from './resources.service.js';
import { acceptedText, ACCEPT_ATTRIBUTE, formatBytes, UPLOAD_LIMITS, uploadedFile } from './uploads.js';

type Fields = ReturnType<typeof formFields>;

/** What an author chooses to add: a package (zip or bare cmi5.xml), or a resource of a content type. */
export type AddKind = 'package' | 'cmi5-xml' | ContentType;

interface KindInfo {
  text: string;
  hint: string;
  /** The largest file the form takes; 0 for a form without a file. */
  limit: number;
  /** How many files the form may send. */
  files: number;
  accept?: string;
  fileLabel?: string;
  fileHint?: string;
}

const MB = 1024 * 1024;

/** The kinds, in the order offered; limits are read when the routes are registered. */
export function addKinds(): Record<AddKind, KindInfo> {
  const size = (limit: number) => `up to ${formatBytes(limit)}`;
  const fileKind = (category: 'video' | 'audio' | 'document' | 'image', label: string, limit: number) => ({
    accept: ACCEPT_ATTRIBUTE[category],
    fileLabel: label,
    fileHint: `${acceptedText(category)
      .replace(/^an? /, '')
      .replace(/^./, (c) => c.toUpperCase())}, ${size(limit)}`,
  });
  return {
    package: {
      text: 'eLearning package (SCORM or cmi5 zip)',
      hint: `A SCORM 1.2, SCORM 2004 or cmi5 course exported as a zip file, ${size(UPLOAD_LIMITS.package)}`,
      limit: UPLOAD_LIMITS.package,
      files: 1,
      accept: '.zip,application/zip',
      fileLabel: 'Package (zip file)',
      fileHint: `The zip file your authoring tool exported, with imsmanifest.xml or cmi5.xml at its root, ${size(UPLOAD_LIMITS.package)}`,
    },
    'cmi5-xml': {
      text: 'cmi5 course structure (cmi5.xml)',
      hint: 'A cmi5 course whose units are hosted elsewhere: its cmi5.xml, with full web addresses',
      limit: Math.min(UPLOAD_LIMITS.document, 5 * MB),
      files: 1,
      accept: '.xml,application/xml,text/xml',
      fileLabel: 'Course structure (cmi5.xml)',
      fileHint: 'Every unit’s address must be a full web address, starting with https://',
    },
    video: {
      text: 'Video',
      hint: `MP4, WebM or Ogg, ${size(UPLOAD_LIMITS.media)}, with captions`,
      limit: UPLOAD_LIMITS.media,
      files: 2,
      ...fileKind('video', 'Video file', UPLOAD_LIMITS.media),
    },
    audio: {
      text: 'Audio',
      hint: `MP3, M4A, Ogg or WAV, ${size(UPLOAD_LIMITS.media)}, with a transcript`,
      limit: UPLOAD_LIMITS.media,
      files: 2,
      ...fileKind('audio', 'Audio file', UPLOAD_LIMITS.media),
    },
    document: {
      text: 'Document (PDF)',
      hint: `A PDF, ${size(UPLOAD_LIMITS.document)}`,
      limit: UPLOAD_LIMITS.document,
      files: 1,
      ...fileKind('document', 'Document (PDF)', UPLOAD_LIMITS.document),
    },
    image: {
      text: 'Image',
      hint: `PNG, JPEG, GIF or WebP, ${size(UPLOAD_LIMITS.image)}, with a description`,
      limit: UPLOAD_LIMITS.image,
      files: 1,
      ...fileKind('image', 'Image file', UPLOAD_LIMITS.image),
    },
    link: { text: 'Web link', hint: 'Learning on another website', limit: 0, files: 0 },
    article: { text: 'Article', hint: 'A page of text you write here, in Markdown', limit: 0, files: 0 },
    assessment: {
      text: 'Assessment',
      hint: 'A question bank with a pass mark: you add the questions next',
      limit: 0,
      files: 0,
    },
  };
}

export const ADD_KIND_VALUES: readonly AddKind[] = [
  'package',
  'cmi5-xml',
  'video',
  'audio',
  'document',
  'image',
  'link',
  'article',
  'assessment',
];

export function isAddKind(value: string): value is AddKind {
  return (ADD_KIND_VALUES as readonly string[]).includes(value);
}

/** The package format a kind's upload is read as. */
export function formatOf(kind: AddKind): PackageFormat | undefined {
  return kind === 'cmi5-xml' ? 'cmi5.xml' : kind === 'package' ? 'zip' : undefined;
}

/** The descriptive fields as typed, all text, for showing the form again. */
export interface FieldValues {
  title: string;
  description: string;
  keywords: string;
  audienceStaffGroups: string;
  audienceJobRoles: string;
  competencies: string;
  durationMinutes: string;
  provider: string;
  licence: string;
  reviewDate: string;
  validityMonths: string;
}

const FIELD_NAMES: (keyof FieldValues)[] = [
  'title',
  'description',
  'keywords',
  'audienceStaffGroups',
  'audienceJobRoles',
  'competencies',
  'durationMinutes',
  'provider',
  'licence',
  'reviewDate',
  'validityMonths',
];

/** The descriptive fields from a submitted form. */
export function fieldValuesFrom(fields: Fields): FieldValues {
  return Object.fromEntries(FIELD_NAMES.map((name) => [name, field(fields, name)])) as unknown as FieldValues;
}

/** The descriptive fields of a stored resource, as its form shows them. */
export function fieldValuesOf(resource: ResourceRow, lookup: CompetencyLookup): FieldValues {
  return {
    title: resource.title,
    description: resource.description,
    keywords: resource.keywords.join(', '),
    audienceStaffGroups: resource.audience_staff_groups.join(', '),
    audienceJobRoles: resource.audience_job_roles.join(', '),
    competencies: competencyCodes(lookup, resource.competencies),
    durationMinutes: resource.duration_minutes === null ? '' : String(resource.duration_minutes),
    provider: resource.provider ?? '',
    licence: resource.licence ?? '',
    reviewDate: resource.review_date ?? '',
    validityMonths: resource.validity_months === null ? '' : String(resource.validity_months),
  };
}

/** The typed fields as the services take them (competency codes resolved), and any error with the codes. */
export function fieldsInput(
  values: FieldValues,
  lookup: CompetencyLookup,
): { fields: ResourceFieldsInput; errors: Record<string, string> } {
  const resolved = resolveCompetencies(lookup, values.competencies);
  return {
    fields: { ...values, competencies: 'identifiers' in resolved ? resolved.identifiers : [] },
    errors: 'error' in resolved ? { competencies: resolved.error } : {},
  };
}

/** The content fields of a submitted form; prefix names the version form's fields apart from the details form's. */
export function contentInputFrom(request: FastifyRequest, fields: Fields, prefix = ''): ContentInput {
  return {
    url: field(fields, `${prefix}url`),
    markdown: field(fields, `${prefix}markdown`),
    transcript: field(fields, `${prefix}transcript`),
    altText: field(fields, `${prefix}altText`),
    noAudio: field(fields, `${prefix}noAudio`) === 'yes',
    file: uploadedFile(request, `${prefix}file`),
    captions: uploadedFile(request, `${prefix}captions`),
  };
}

/** Field errors with the form's prefix on their names, so the summary links to the right field. */
export function prefixed(errors: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([key, message]) => [`${prefix}${key}`, message]));
}

/**
 * A refused package as the form shows it: the summary next to the file field, and every problem in the error summary
 * (each linking to its line in the list under the field).
 */
export function packageProblems(
  error: PackageInvalid,
  fileField: string,
): { errors: Record<string, string>; problems: { id: string; text: string }[] } {
  const problems = error.problems.map((text, i) => ({ id: `${fileField}-problem-${i + 1}`, text }));
  const errors: Record<string, string> = { [fileField]: `${error.message} Correct the package and upload it again` };
  for (const problem of problems) errors[problem.id] = problem.text;
  return { errors, problems };
}

/** The kinds as radio items, with the chosen one checked. */
export function kindItems(chosen: string) {
  const kinds = addKinds();
  return ADD_KIND_VALUES.map((value) => ({
    value,
    text: kinds[value].text,
    hint: { text: kinds[value].hint },
    checked: value === chosen,
  }));
}
