// A learner's evidence for framework items and their requests for sign-off. Everything here is the signed-in
// person's own: evidence, requests and attainments are found by the principal, never by a person named in a
// parameter, so another learner's ids lead nowhere (NotFound).

import type { Db } from '../../db/connection.js';
import type { FrameworkLevelJson } from '../../db/schema.js';
import type { Principal } from '../../platform/access.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { isUniqueViolation } from '../../db/errors.js';
import { exportRecord } from '../records/record.service.js';
import { fileKindOf, ACCEPTED_TEXT, MAX_FILE_BYTES } from './evidence.files.js';
import * as requests from './evidence.requests.store.js';
import * as store from './evidence.store.js';
import {
  attainmentView,
  eventView,
  evidenceView,
  requestView,
  type AttainmentView,
  type EventView,
  type EvidenceView,
  type RequestView,
} from './evidence.views.js';
import { getFramework } from './frameworks.service.js';
import { itemsOf, type FrameworkRow, type ItemRow } from './frameworks.store.js';
import { mySupervisors, type SupervisionView } from './supervision.service.js';

export const MAX_REFLECTION = 5000;
export const MAX_TITLE = 200;
export const MAX_MESSAGE = 2000;
/** Completions offered as evidence: the most recent ones. */
const COMPLETION_CHOICES = 50;

const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const PASSED = 'http://adlnet.gov/expapi/verbs/passed';

/** A framework item the learner is looking at: the version, the item, and the levels it can be confirmed at. */
export interface LearnerItem {
  framework: FrameworkRow;
  item: ItemRow;
  key: store.ItemKey;
  levels: FrameworkLevelJson[];
}

/**
 * The item of a framework version the person may see; NotFound for a framework they may not see, or an item it
 * does not hold. Its levels are the framework's scale, narrowed to the item's own levels when it names them.
 */
export async function learnerItem(
  db: Db,
  principal: Principal,
  frameworkId: string,
  itemIdentifier: string,
): Promise<LearnerItem> {
  const framework = await getFramework(db, { principal }, frameworkId);
  const wanted = itemIdentifier.toLowerCase();
  const item = isUuid(wanted) ? (await itemsOf(db, framework.id)).find((i) => i.identifier === wanted) : undefined;
  if (item === undefined) throw new NotFound('This framework has no such item.');
  const own = new Set((item.levels ?? []).map((l) => l.level));
  return {
    framework,
    item,
    key: { frameworkIdentifier: framework.identifier, itemIdentifier: item.identifier },
    levels: own.size === 0 ? framework.levels : framework.levels.filter((l) => own.has(l.level)),
  };
}

/** A completed or passed statement of the learner's record, offered as evidence. */
export interface CompletionChoice {
  statementId: string;
  text: string;
  organisation: string;
}

/** The learner's own completed and passed learning, newest first (through the records module). */
async function completionChoices(db: Db, principal: Principal): Promise<CompletionChoice[]> {
  const [completed, passed] = await Promise.all([
    exportRecord(db, principal, { verbId: COMPLETED }),
    exportRecord(db, principal, { verbId: PASSED }),
  ]);
  return [...completed.lines, ...passed.lines]
    .filter((line) => line.id !== '')
    .sort((a, b) => b.when.localeCompare(a.when))
    .slice(0, COMPLETION_CHOICES)
    .map((line) => ({ statementId: line.id, text: line.text, organisation: line.organisation }));
}

/** Everything the learner's page for an item shows. */
export interface LearnerItemPage {
  evidence: EvidenceView[];
  openEvidenceCount: number;
  open: RequestView | undefined;
  history: EventView[];
  attainments: AttainmentView[];
  supervisors: SupervisionView[];
  completions: CompletionChoice[];
  /** The learner may send the item for sign-off now (nothing pending with a supervisor who still counts). */
  mayAsk: boolean;
}

/** The learner's evidence, open request and its history, attainments, supervisors and completions for the item. */
export async function learnerItemPage(db: Db, principal: Principal, target: LearnerItem): Promise<LearnerItemPage> {
  const personId = principal.personId;
  const [evidence, openRow, attainments, supervisors, completions] = await Promise.all([
    store.evidenceOfItem(db, personId, target.key),
    requests.openRequestOf(db, personId, target.key),
    store.attainmentsOfItem(db, personId, target.key),
    mySupervisors(db, principal),
    completionChoices(db, principal),
  ]);
  const history = openRow === undefined ? [] : (await requests.eventsOf(db, openRow.id)).map(eventView);
  const attached = new Set(evidence.filter((e) => e.request_id === null).map((e) => e.statement_id));
  const open = openRow === undefined ? undefined : requestView(openRow);
  return {
    evidence: evidence.map(evidenceView),
    openEvidenceCount: evidence.filter((e) => e.request_id === null).length,
    open,
    history,
    attainments: attainments.map(attainmentView),
    supervisors,
    completions: completions.filter((c) => !attached.has(c.statementId)),
    mayAsk: open === undefined || open.status === 'returned' || !open.supervisionActive,
  };
}

/** Adds a written reflection (up to MAX_REFLECTION characters) to the item's open evidence. */
export async function addReflection(db: Db, principal: Principal, target: LearnerItem, text: string): Promise<void> {
  const body = text.replace(/\r\n/g, '\n').trim();
  if (body === '') throw new Invalid('There is a problem', { reflection: 'Enter your reflection' });
  if (body.length > MAX_REFLECTION) {
    throw new Invalid('There is a problem', {
      reflection: `Your reflection must be ${MAX_REFLECTION.toLocaleString('en-GB')} characters or fewer`,
    });
  }
  await store.insertEvidence(db, {
    personId: principal.personId,
    item: target.key,
    kind: 'reflection',
    title: 'Reflection',
    body,
  });
}

/**
 * Adds a file (PDF, PNG, JPEG, Word or OpenDocument text, told by its content; at most 5 MB) with the learner's title
 * for it. Throws Invalid naming 'file-title' or 'file'.
 */
export async function addFile(
  db: Db,
  principal: Principal,
  target: LearnerItem,
  input: { title: string; content: Buffer | undefined },
): Promise<void> {
  const title = input.title.replace(/\s+/g, ' ').trim();
  const errors: Record<string, string> = {};
  if (title === '') errors['file-title'] = 'Enter a title for the file';
  else if (title.length > MAX_TITLE) errors['file-title'] = `The title must be ${MAX_TITLE} characters or fewer`;
  const content = input.content;
  const kind = content === undefined ? undefined : fileKindOf(content);
  // A browser sends an empty part when no file was chosen, and the parser keeps no name to tell it from an empty file.
  if (content === undefined || content.length === 0) errors.file = 'Select a file';
  else if (content.length > MAX_FILE_BYTES) errors.file = 'The selected file must be smaller than 5 MB';
  else if (kind === undefined) errors.file = `The selected file must be ${ACCEPTED_TEXT}`;
  if (Object.keys(errors).length > 0 || content === undefined || kind === undefined) {
    throw new Invalid('There is a problem', errors);
  }
  await store.insertEvidence(db, {
    personId: principal.personId,
    item: target.key,
    kind: 'file',
    title,
    file: { type: kind.type, content },
  });
}

/** Adds one of the learner's completed or passed statements, as their record describes it, to the open evidence. */
export async function addCompletion(
  db: Db,
  principal: Principal,
  target: LearnerItem,
  statementId: string,
): Promise<void> {
  if (statementId === '') throw new Invalid('There is a problem', { completion: 'Select completed learning' });
  const choice = (await completionChoices(db, principal)).find((c) => c.statementId === statementId.toLowerCase());
  if (choice === undefined) {
    throw new Invalid('There is a problem', { completion: 'Select completed learning from your learning record' });
  }
  const open = await store.evidenceOfItem(db, principal.personId, target.key);
  if (open.some((e) => e.request_id === null && e.statement_id === choice.statementId)) {
    throw new Invalid('There is a problem', { completion: 'This learning is already evidence for this item' });
  }
  await store.insertEvidence(db, {
    personId: principal.personId,
    item: target.key,
    kind: 'completion',
    title: choice.text,
    body: choice.organisation === '' ? null : `Recorded by ${choice.organisation}`,
    statementId: choice.statementId,
  });
}

/** Removes a piece of the learner's open evidence for the item; NotFound for anything else (confirmed, another's). */
export async function removeEvidence(
  db: Db,
  principal: Principal,
  target: LearnerItem,
  evidenceId: string,
): Promise<EvidenceView> {
  const row = isUuid(evidenceId) ? await store.evidenceById(db, evidenceId) : undefined;
  if (
    row === undefined ||
    row.person_id !== principal.personId ||
    row.framework_identifier !== target.key.frameworkIdentifier ||
    row.item_identifier !== target.key.itemIdentifier ||
    row.request_id !== null ||
    !(await store.deleteOpenEvidence(db, principal.personId, row.id))
  ) {
    throw new NotFound('This evidence was not found, or it has been confirmed and cannot be removed.');
  }
  return evidenceView(row);
}

/** The content of one of the learner's own evidence files; NotFound for anyone else's. */
export async function learnerEvidenceFile(
  db: Db,
  principal: Principal,
  evidenceId: string,
): Promise<{ title: string; type: string; content: Buffer }> {
  const row = isUuid(evidenceId) ? await store.evidenceById(db, evidenceId) : undefined;
  const file = row?.person_id === principal.personId ? await store.evidenceFile(db, row.id) : undefined;
  if (row === undefined || file === undefined) throw new NotFound('File not found');
  return { title: row.title, ...file };
}

/**
 * Sends the item to one of the learner's supervisors for sign-off, with an optional level of the item and message.
 * A returned request (or one whose supervisor no longer supervises them) is sent again; a pending one waits.
 */
export async function askForSignOff(
  db: Db,
  principal: Principal,
  target: LearnerItem,
  input: { supervisionId: string; level: string; message: string },
): Promise<RequestView> {
  const personId = principal.personId;
  const errors: Record<string, string> = {};
  const supervisors = await mySupervisors(db, principal);
  const supervision = supervisors.find((s) => s.id === input.supervisionId.toLowerCase());
  if (input.supervisionId === '') errors.supervision = 'Select the supervisor to ask';
  else if (supervision === undefined) errors.supervision = 'Select one of your supervisors';
  let level: number | null = null;
  if (input.level !== '') {
    const found = target.levels.find((l) => String(l.level) === input.level.trim());
    if (found === undefined) errors.level = 'Select a level from the list';
    else level = found.level;
  }
  const message = input.message.replace(/\r\n/g, '\n').trim();
  if (message.length > MAX_MESSAGE)
    errors.message = `Your message must be ${MAX_MESSAGE.toLocaleString('en-GB')} characters or fewer`;
  const evidence = await store.evidenceOfItem(db, personId, target.key);
  if (!evidence.some((e) => e.request_id === null)) {
    errors.evidence = 'Add at least one piece of evidence before you ask for sign-off';
  }
  if (Object.keys(errors).length > 0 || supervision === undefined) throw new Invalid('There is a problem', errors);
  const values: requests.RequestValues = {
    frameworkId: target.framework.id,
    supervisionId: supervision.id,
    organisationId: supervision.organisation.id,
    level,
    message: message === '' ? null : message,
  };
  try {
    const id = await db.transaction().execute(async (trx) => {
      const open = await requests.openRequestOf(trx, personId, target.key);
      if (open?.status === 'pending' && open.supervision_active) {
        throw new Conflict('You have already asked for sign-off of this item', {
          supervision: `You asked ${open.supervisor_given_name} ${open.supervisor_family_name} already; wait for their answer`,
        });
      }
      if (open !== undefined) {
        if (!(await requests.resubmitRequest(trx, open.id, values))) throw new Conflict('This request has changed');
        await requests.insertEvent(trx, open.id, { action: 'resubmitted', actorId: personId, comment: values.message });
        return open.id;
      }
      const created = await requests.insertRequest(trx, personId, target.key, values);
      await requests.insertEvent(trx, created, { action: 'submitted', actorId: personId, comment: values.message });
      return created;
    });
    const row = await requests.requestById(db, id);
    if (row === undefined) throw new NotFound();
    return requestView(row);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new Conflict('You have already asked for sign-off of this item', {
        supervision: 'You have already asked for sign-off of this item',
      });
    }
    throw error;
  }
}

/** The learner's attained competencies, and their requests waiting for sign-off and returned to them. */
export async function myCompetencies(
  db: Db,
  principal: Principal,
): Promise<{ attained: AttainmentView[]; pending: RequestView[]; returned: RequestView[] }> {
  const [attained, open] = await Promise.all([
    store.attainmentsOf(db, principal.personId),
    requests.requestsOfPerson(db, principal.personId, ['pending', 'returned']),
  ]);
  const views = open.map(requestView);
  return {
    attained: attained.map(attainmentView),
    pending: views.filter((r) => r.status === 'pending'),
    returned: views.filter((r) => r.status === 'returned'),
  };
}
