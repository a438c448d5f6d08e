// The demo catalogue: national learning for statutory and mandatory subjects (articles, an assessment and a real
// SCORM course), Northbridge's own restricted induction catalogue, Northbridge's mandatory assignments with
// recertification, and the demo learner's history: one subject expiring soon, one lapsed, one course in progress.
import type { Db } from '../db/connection.js';
import { builtinIdentifier } from '../modules/competencies/frameworks.seed.js';
import { loadPrincipal, findOrganisationByCode } from '../modules/identity/identity.service.js';
import type { ResourceType } from '../modules/catalogue/catalogue.tables.js';
import { createCatalogue, ensureNationalCatalogue } from '../modules/catalogue/catalogues.service.js';
import { insertPackage } from '../modules/catalogue/packages.store.js';
import { readPackage } from '../modules/catalogue/packages/package.read.js';
import { expiryOf, newCertificateNumber, startOrResume } from '../modules/catalogue/progress.service.js';
import { insertCompletion } from '../modules/catalogue/progress.store.js';
import type { QuizBank } from '../modules/catalogue/quiz.types.js';
import { blankResourceFields, type ResourceFieldsInput } from '../modules/catalogue/resources.fields.js';
import { createResource, moveResource } from '../modules/catalogue/resources.service.js';
import { DEMO_COURSE_TITLE, demoCoursePackage } from './demo-course.js';

const CLI = { commandLine: true } as const;

const FIRE_SAFETY = `Fire needs three things: heat, fuel and oxygen. Take one away and it goes out.

## In your workplace

- Know where the nearest fire alarm call point, extinguishers and fire exits are.
- Keep fire doors closed and escape routes clear.
- Report faulty equipment, overloaded sockets and blocked exits.

## If you discover a fire

1. Raise the alarm.
2. Follow your local fire procedure: in a hospital this is usually **progressive horizontal evacuation**, moving
   people away from the fire through at least one set of fire doors on the same floor.
3. Only use an extinguisher if you are trained and it is safe.

| Extinguisher | Label colour | Use on |
| --- | --- | --- |
| Water | Red | Paper, wood, textiles |
| Foam | Cream | Paper, wood, flammable liquids |
| CO₂ | Black | Electrical equipment |
| Powder | Blue | Most fires, but not in enclosed spaces |
`;

const INFECTION_CONTROL = `Standard infection control precautions protect patients, visitors and you, every time, with every person.

## Hand hygiene

Clean your hands before touching a patient, before a clean or aseptic procedure, after a risk of exposure to body
fluids, after touching a patient and after touching their surroundings.

## Personal protective equipment

Choose gloves, aprons and masks for the task, put them on just before it, and take them off and dispose of them
straight after. Clean your hands when you take them off.

## Spillages and sharps

Deal with blood and body fluid spills promptly using your local spill kit. Never re-sheath a used needle; dispose of
sharps at the point of use.
`;

const INFORMATION_GOVERNANCE = `Everyone who works in health and care handles personal information. Keep it
confidential, accurate and secure, and share it only with those who need it to care for someone.

- Lock your screen when you leave it, and never share your smartcard or password.
- Check the recipient before you send an email or a letter.
- Report a possible data breach to your information governance team straight away: they may have 72 hours to tell
  the regulator.
`;

const WELCOME = `Welcome to Northbridge University Hospitals. This catalogue is for our staff: induction, local policies and
learning that only applies here.

Start with the mandatory subjects on **My learning**; your manager will go through your local induction checklist in
your first week.
`;

const SAFEGUARDING_BANK: QuizBank = {
  passMark: 80,
  attemptsAllowed: 3,
  shuffle: true,
  showFeedback: 'after-each-attempt',
  questions: [
    {
      id: 'duty',
      kind: 'true-false',
      text: 'Safeguarding adults is the responsibility of everyone who works in health and care.',
      options: [
        { id: 'true', text: 'True', correct: true },
        { id: 'false', text: 'False', correct: false, feedback: 'Safeguarding is everyone’s business.' },
      ],
    },
    {
      id: 'abuse-types',
      kind: 'multiple',
      text: 'Which of these are types of abuse named in the Care Act 2014 statutory guidance?',
      options: [
        { id: 'financial', text: 'Financial or material abuse', correct: true },
        { id: 'neglect', text: 'Neglect and acts of omission', correct: true },
        { id: 'self-neglect', text: 'Self-neglect', correct: true },
        { id: 'complaint', text: 'Making a complaint about care', correct: false },
      ],
    },
    {
      id: 'concern',
      kind: 'single',
      text: 'A patient tells you a relative takes their pension and leaves them without food. What do you do first?',
      options: [
        { id: 'ignore', text: 'Nothing: it is a family matter', correct: false },
        {
          id: 'report',
          text: 'Make sure they are safe now and report your concern to the safeguarding lead, as local policy says',
          correct: true,
        },
        { id: 'confront', text: 'Confront the relative at the next visit', correct: false },
      ],
      feedback: { incorrect: 'Act on the concern: keep the person safe and report it through your local procedure.' },
    },
  ],
};

interface DemoResource {
  key: string;
  type: ResourceType;
  title: string;
  fields: Partial<ResourceFieldsInput>;
  content: Record<string, unknown>;
}

function cstf(itemKey: string): string {
  return builtinIdentifier('cstf', itemKey);
}

const NATIONAL_RESOURCES: DemoResource[] = [
  {
    key: 'fire',
    type: 'article',
    title: 'Fire safety',
    fields: {
      description: 'What to do to prevent fire at work and what to do if you discover one.',
      keywords: 'fire, evacuation, extinguishers, CSTF',
      competencies: [cstf('FS')],
      durationMinutes: '20',
      provider: 'Tessera demo content',
      licence: 'Open Government Licence v3.0',
      validityMonths: '12',
    },
    content: { markdown: FIRE_SAFETY },
  },
  {
    key: 'ipc',
    type: 'article',
    title: 'Infection prevention and control: level 1',
    fields: {
      description: 'Standard infection control precautions for everyone in health and care.',
      keywords: 'infection, hand hygiene, PPE, CSTF',
      competencies: [cstf('IPC')],
      durationMinutes: '30',
      provider: 'Tessera demo content',
      licence: 'Open Government Licence v3.0',
      validityMonths: '36',
    },
    content: { markdown: INFECTION_CONTROL },
  },
  {
    key: 'ig',
    type: 'article',
    title: 'Data security awareness',
    fields: {
      description: 'Keeping personal information confidential, accurate and secure.',
      keywords: 'information governance, data protection, confidentiality, CSTF',
      competencies: [cstf('IG')],
      durationMinutes: '25',
      provider: 'Tessera demo content',
      validityMonths: '12',
    },
    content: { markdown: INFORMATION_GOVERNANCE },
  },
  {
    key: 'safeguarding',
    type: 'assessment',
    title: 'Safeguarding adults: level 1 assessment',
    fields: {
      description: 'Three questions on recognising abuse and what to do. Pass mark 80%.',
      keywords: 'safeguarding, adults, abuse, CSTF',
      competencies: [cstf('SGA')],
      durationMinutes: '10',
      provider: 'Tessera demo content',
      validityMonths: '36',
    },
    content: { bank: SAFEGUARDING_BANK },
  },
];

/**
 * Loads the demo catalogue once (returns false when it is already there, or the demo organisations are missing).
 * Uses the services, so the demo holds exactly what people and the API would have made.
 */
export async function seedDemoCatalogue(db: Db, publicUrl = 'http://localhost:3000'): Promise<boolean> {
  const northbridge = await findOrganisationByCode(db, 'RNB');
  if (northbridge === undefined) return false;
  const national = await ensureNationalCatalogue(db);
  const already = await db
    .selectFrom('resources')
    .select('id')
    .where('catalogue_id', '=', national.id)
    .where('title', '=', 'Fire safety')
    .executeTakeFirst();
  if (already !== undefined) return false;

  const ids = new Map<string, string>();
  for (const demo of NATIONAL_RESOURCES) {
    const { resource } = await createResource(db, CLI, {
      catalogueId: national.id,
      type: demo.type,
      fields: { ...blankResourceFields(), title: demo.title, ...demo.fields },
      content: demo.content,
    });
    await moveResource(db, CLI, resource.id, 'publish');
    ids.set(demo.key, resource.id);
  }

  const zip = demoCoursePackage();
  const parsed = readPackage(zip);
  const packageId = await insertPackage(db, parsed, zip, null);
  const { resource: course } = await createResource(db, CLI, {
    catalogueId: national.id,
    type: parsed.kind,
    fields: {
      ...blankResourceFields(),
      title: DEMO_COURSE_TITLE,
      description: 'Safe moving and handling of loads and people: a three-page eLearning course (SCORM 1.2).',
      keywords: 'moving and handling, manual handling, back care, CSTF',
      competencies: [cstf('MH')],
      durationMinutes: '15',
      provider: 'Tessera demo content',
      validityMonths: '36',
    },
    content: {},
    packageId,
  });
  await moveResource(db, CLI, course.id, 'publish');
  ids.set('course', course.id);

  const admin = await db
    .selectFrom('people')
    .select('id')
    .where('is_platform_admin', '=', true)
    .orderBy('created_at')
    .executeTakeFirst();
  const adminPrincipal = admin === undefined ? undefined : await loadPrincipal(db, admin.id);
  if (adminPrincipal !== undefined) {
    const induction = await createCatalogue(db, adminPrincipal, northbridge.id, {
      name: 'Northbridge induction',
      description: 'Induction and local learning for Northbridge staff.',
      visibility: 'restricted',
    });
    const { resource } = await createResource(db, CLI, {
      catalogueId: induction.id,
      type: 'article',
      fields: {
        ...blankResourceFields(),
        title: 'Welcome to Northbridge',
        description: 'Your first week: where to start.',
        keywords: 'induction, welcome',
        durationMinutes: '5',
        provider: 'Northbridge University Hospitals',
      },
      content: { markdown: WELCOME },
    });
    await moveResource(db, CLI, resource.id, 'publish');
  }

  await seedAssignments(db, northbridge.id, admin?.id ?? null, ids);
  await seedLearnerHistory(db, publicUrl, ids);
  return true;
}

/** Northbridge requires fire safety of everyone every year, and IPC of registered nurses every three years. */
async function seedAssignments(
  db: Db,
  organisationId: string,
  assignedBy: string | null,
  ids: Map<string, string>,
): Promise<void> {
  const rows = [
    { resource: 'fire', audience: 'everyone' as const, value: null, months: 12 },
    { resource: 'ig', audience: 'everyone' as const, value: null, months: 12 },
    { resource: 'ipc', audience: 'staff_group' as const, value: 'Nursing and Midwifery Registered', months: 36 },
  ];
  for (const row of rows) {
    const resourceId = ids.get(row.resource);
    if (resourceId === undefined) continue;
    await db
      .insertInto('assignments')
      .values({
        organisation_id: organisationId,
        resource_id: resourceId,
        audience: row.audience,
        audience_value: row.value,
        mandatory: true,
        due_days: 30,
        recertify_months: row.months,
        assigned_by: assignedBy,
      })
      .execute();
  }
}

/** The demo learner: fire safety done 11½ months ago (due again soon), IPC lapsed, the course started. */
async function seedLearnerHistory(db: Db, publicUrl: string, ids: Map<string, string>): Promise<void> {
  const learner = await db
    .selectFrom('people')
    .select('id')
    .where('email', 'like', 'amara.okafor@%')
    .executeTakeFirst();
  if (learner === undefined) return;
  const day = 24 * 60 * 60 * 1000;
  const history = [
    { key: 'fire', daysAgo: 350, months: 12, score: null },
    { key: 'ipc', daysAgo: 3 * 365 + 40, months: 36, score: null },
  ];
  for (const entry of history) {
    const resourceId = ids.get(entry.key);
    if (resourceId === undefined) continue;
    const at = new Date(Date.now() - entry.daysAgo * day);
    await insertCompletion(db, {
      person_id: learner.id,
      resource_id: resourceId,
      completed_at: at,
      score: entry.score,
      expires_at: expiryOf(at, entry.months),
      certificate_number: newCertificateNumber(at),
    });
  }
  const principal = await loadPrincipal(db, learner.id);
  const courseId = ids.get('course');
  if (principal !== undefined && courseId !== undefined) await startOrResume(db, publicUrl, principal, courseId);
}
