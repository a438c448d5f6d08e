// Evidence, requests and attainments as pages show them. Pure: rows in, plain objects out.

import type { FrameworkLevelJson } from '../../db/schema.js';
import { fileKindOfType, sizeText } from './evidence.files.js';
import type { EventRow, RequestRow } from './evidence.requests.store.js';
import type { AttainmentRow, EvidenceRow } from './evidence.store.js';
import type { EvidenceKind, SignoffAction, SignoffStatus } from './evidence.tables.js';

/** The tag a status shows with. */
export const STATUS_TAGS: Record<SignoffStatus, { text: string; classes: string }> = {
  pending: { text: 'Waiting for sign-off', classes: 'nhsuk-tag--yellow' },
  returned: { text: 'Returned to you', classes: 'nhsuk-tag--orange' },
  confirmed: { text: 'Confirmed', classes: 'nhsuk-tag--green' },
};

const KIND_LABELS: Record<EvidenceKind, string> = {
  completion: 'Completed learning',
  file: 'File',
  reflection: 'Reflection',
};

const ACTION_TEXT: Record<SignoffAction, string> = {
  submitted: 'Asked for sign-off',
  returned: 'Returned with comments',
  resubmitted: 'Asked for sign-off again',
  confirmed: 'Confirmed',
};

/** The label of a level of the scale, e.g. "Intermediate"; "Level 2" when the scale does not name it. */
export function levelLabel(levels: FrameworkLevelJson[], level: number | null): string | null {
  if (level === null) return null;
  return levels.find((l) => l.level === level)?.label ?? `Level ${level}`;
}

/** An item as people name it: its code and short statement, e.g. "DCF.1.2 Spots and reports phishing and scams". */
export function itemLabel(item: { code: string | null; abbreviated: string | null; statement: string | null }): string {
  const text = item.abbreviated ?? item.statement ?? 'An item no longer in this framework';
  return item.code === null ? text : `${item.code} ${text}`;
}

/** Text split into paragraphs at blank lines, for showing a reflection or a comment as written. */
export function paragraphs(text: string | null): string[] {
  if (text === null) return [];
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

export interface EvidenceView {
  id: string;
  kind: EvidenceKind;
  kindLabel: string;
  title: string;
  paragraphs: string[];
  fileLabel?: string;
  addedAt: Date;
  /** Fixed to a confirmed request: it can no longer be removed. */
  fixed: boolean;
}

/** A piece of evidence for a page. */
export function evidenceView(row: EvidenceRow): EvidenceView {
  const kind = row.file_type === null ? undefined : fileKindOfType(row.file_type);
  return {
    id: row.id,
    kind: row.kind,
    kindLabel: KIND_LABELS[row.kind],
    title: row.title,
    paragraphs: paragraphs(row.body),
    ...(row.kind === 'file' ? { fileLabel: `${kind?.label ?? 'File'}, ${sizeText(row.file_size ?? 0)}` } : {}),
    addedAt: row.created_at,
    fixed: row.request_id !== null,
  };
}

export interface RequestView {
  id: string;
  status: SignoffStatus;
  tag: { text: string; classes: string };
  item: string;
  frameworkId: string;
  frameworkTitle: string;
  itemIdentifier: string;
  /** The learner's page for the item. */
  itemHref: string;
  learner: string;
  learnerEmail: string;
  supervisor: string;
  supervisionId: string;
  supervisionActive: boolean;
  organisation: string;
  level: number | null;
  levelLabel: string | null;
  message: string[];
  messageText: string;
  submittedAt: Date;
  decidedAt: Date | null;
  comment: string[];
}

/** A request for a page. */
export function requestView(row: RequestRow): RequestView {
  return {
    id: row.id,
    status: row.status,
    tag: STATUS_TAGS[row.status],
    item: itemLabel({ code: row.item_code, abbreviated: row.item_abbreviated, statement: row.item_statement }),
    frameworkId: row.framework_id,
    frameworkTitle: row.framework_title,
    itemIdentifier: row.item_identifier,
    itemHref: `/my-competencies/items/${row.framework_id}/${row.item_identifier}`,
    learner: `${row.learner_given_name} ${row.learner_family_name}`,
    learnerEmail: row.learner_email,
    supervisor: `${row.supervisor_given_name} ${row.supervisor_family_name}`,
    supervisionId: row.supervision_id,
    supervisionActive: row.supervision_active,
    organisation: row.organisation_name,
    level: row.level,
    levelLabel: levelLabel(row.framework_levels, row.level),
    message: paragraphs(row.message),
    messageText: row.message ?? '',
    submittedAt: row.submitted_at,
    decidedAt: row.decided_at,
    comment: paragraphs(row.decision_comment),
  };
}

export interface EventView {
  text: string;
  by: string | null;
  at: Date;
  comment: string[];
}

/** A line of a request's history. */
export function eventView(row: EventRow): EventView {
  return { text: ACTION_TEXT[row.action], by: row.actor_name, at: row.occurred_at, comment: paragraphs(row.comment) };
}

export interface AttainmentView {
  id: string;
  item: string;
  itemHref: string;
  frameworkTitle: string;
  levelLabel: string | null;
  attainedOn: string;
  confirmedBy: string;
}

/** An attained competency for a page. */
export function attainmentView(row: AttainmentRow): AttainmentView {
  return {
    id: row.id,
    item: itemLabel({ code: row.item_code, abbreviated: row.item_abbreviated, statement: row.item_statement }),
    itemHref: `/my-competencies/items/${row.framework_id}/${row.item_identifier}`,
    frameworkTitle: row.framework_title,
    levelLabel: levelLabel(row.framework_levels, row.level),
    attainedOn: row.attained_on,
    confirmedBy: row.confirmed_by_name,
  };
}
