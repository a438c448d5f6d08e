// Demo data for the organisation skills report: Northbridge staff in five teams, brought in through the staff CSV
// import (with their teams), who have taken the digital skills self-assessment, most of them sharing it with the
// trust. Teams and staff groups come out both above and below the report's five-person threshold; the small teams
// hold five people between them, so the big ones can be shown beside the whole-trust total.

import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.js';
import type { Principal } from '../platform/access.js';
import { seedBuiltinTools } from '../modules/competencies/assessments.seed.js';
import {
  answerPage,
  assessmentHistory,
  openResponse,
  responseForPrincipal,
  submitAssessment,
} from '../modules/competencies/assessments.service.js';
import type { AssessmentResults } from '../modules/competencies/assessments.types.js';
import { findOrganisationByCode, loadPrincipal } from '../modules/identity/identity.service.js';
import { findPersonByEmail } from '../modules/identity/identity.store.js';
import { applyStaffImport, checkStaffImport } from '../modules/identity/staff-import.service.js';
import { seedDemoRoleProfiles } from './demo-role-profiles.js';

/** What a person answers: a level for each scale question, and a choice for each choice question. */
export interface AnswerPlan {
  level: (questionKey: string) => number;
  choice?: (questionKey: string) => string;
}

/**
 * Takes a person self-assessment from start to submission through the self-assessment service, as the person
 * would page by page, and submits it shared with their organisations or not. Returns the results.
 */
export async function takeSelfAssessment(
  db: Db,
  principal: Principal,
  toolKey: string,
  plan: AnswerPlan,
  share: boolean,
): Promise<AssessmentResults> {
  const response = await openResponse(db, principal, toolKey);
  let index: number | null = 0;
  for (let guard = 0; index !== null; guard++) {
    if (guard > 200) throw new Error(`The ${toolKey} self-assessment did not come to an end`);
    const page = (await responseForPrincipal(db, principal, response.id)).pages[index];
    if (page === undefined) throw new Error(`No page ${String(index)} of ${toolKey}`);
    const form: Record<string, string> = {};
    for (const q of page.questions) {
      if (q.kind === 'scale') form[q.key] = String(plan.level(q.key));
      else if (q.kind === 'choice') form[q.key] = plan.choice?.(q.key) ?? q.options[0]?.value ?? '';
    }
    const saved = await answerPage(db, principal, response.id, index, form);
    if (!('next' in saved)) throw new Error(`Page ${String(index)} of ${toolKey}: ${JSON.stringify(saved.errors)}`);
    index = saved.next;
  }
  return submitAssessment(db, principal, response.id, share);
}

interface DemoSkillsPerson {
  givenName: string;
  familyName: string;
  team: string;
  staffGroup: string;
  jobRole: string;
  band: string;
  /** Shares their results with the trust. */
  shares: boolean;
}

const NURSE = ['Nursing and Midwifery Registered', 'Staff Nurse', 'Band 5'] as const;
const HCA = ['Additional Clinical Services', 'Healthcare Assistant', 'Band 3'] as const;
const PHYSIO = ['Allied Health Professionals', 'Physiotherapist', 'Band 6'] as const;
const OT = ['Allied Health Professionals', 'Occupational Therapist', 'Band 5'] as const;
const DOCTOR = ['Medical and Dental', 'Specialty Registrar', 'Medical'] as const;
const PHARMACIST = ['Additional Professional Scientific and Technical', 'Pharmacist', 'Band 7'] as const;
const SECRETARY = ['Administrative and Clerical', 'Medical Secretary', 'Band 4'] as const;

const TEAMS: [string, (readonly [string, string, string])[], number][] = [
  // team, the staff in it, how many of them do not share
  ['Ward 10 Cardiology', [NURSE, NURSE, NURSE, NURSE, NURSE, NURSE, HCA, HCA], 1],
  ['Ward 12 Respiratory', [NURSE, NURSE, NURSE, NURSE, HCA, HCA, HCA], 0],
  ['Emergency Department', [NURSE, NURSE, NURSE, NURSE, NURSE, HCA, HCA, DOCTOR, DOCTOR], 1],
  ['Therapies', [PHYSIO, PHYSIO, PHYSIO, OT, OT, OT], 0],
  ['Pharmacy', [PHARMACIST, PHARMACIST, PHARMACIST], 0],
  ['Outpatients', [SECRETARY, SECRETARY], 0],
];

const GIVEN = ['Ava', 'Ben', 'Chloe', 'Dev', 'Ella', 'Femi', 'Gina', 'Hari', 'Isla', 'Jack', 'Kemi', 'Leo', 'Maya'];
const FAMILY = ['Ashworth', 'Barker', 'Coleman', 'Dhillon', 'Ellis', 'Fraser', 'Goodwin', 'Holt', 'Iqbal', 'Jarvis'];

/** The demo staff of the skills report, in a fixed order. */
export function demoSkillsPeople(): DemoSkillsPerson[] {
  const people: DemoSkillsPerson[] = [];
  for (const [team, staff, notSharing] of TEAMS) {
    staff.forEach(([staffGroup, jobRole, band], i) => {
      const n = people.length;
      people.push({
        givenName: GIVEN[n % GIVEN.length] ?? 'Alex',
        familyName: `${FAMILY[Math.floor(n / GIVEN.length) % FAMILY.length] ?? 'Smith'}-${String(n + 1)}`,
        team,
        staffGroup,
        jobRole,
        band,
        shares: i >= notSharing,
      });
    });
  }
  return people;
}

function emailOf(person: DemoSkillsPerson): string {
  return `${person.givenName}.${person.familyName}@rnb.skills.demo.tessera.invalid`.toLowerCase();
}

function csvOf(people: DemoSkillsPerson[]): string {
  const header = 'Assignment Number,First Name,Last Name,Email,Staff Group,Job Role,Band,Team,Organisation Code';
  const rows = people.map((p, i) =>
    [
      String(30_500_001 + i),
      p.givenName,
      p.familyName,
      emailOf(p),
      p.staffGroup,
      p.jobRole,
      p.band,
      p.team,
      'RNB',
    ].join(','),
  );
  return [header, ...rows].join('\n') + '\n';
}

/** A level from 0 to 4 for a person and question: steady for the same pair, lower for support roles. */
function demoLevel(email: string, jobRole: string, questionKey: string): number {
  const noise = (createHash('sha256').update(`${email}|${questionKey}`).digest()[0] ?? 0) % 3;
  const base = jobRole === 'Healthcare Assistant' ? 1 : jobRole === 'Pharmacist' ? 3 : 2;
  return Math.max(0, Math.min(4, base + noise - 1));
}

/**
 * Adds the skills report demo to Northbridge (RNB): the demo role profiles, 35 staff in six teams
 * (imported through the staff CSV import, teams included), and a submitted digital skills self-assessment for each,
 * shared with the trust except by two of them. Safe to run again: people already there are not imported again, and
 * nobody who has submitted one already takes it again. Returns how many self-assessments it submitted; 0 when the
 * demo organisation is missing.
 */
export async function seedDemoSkills(db: Db, publicUrl = 'http://localhost:3000'): Promise<number> {
  const org = await findOrganisationByCode(db, 'RNB');
  if (org === undefined) return 0;
  await seedDemoRoleProfiles(db, publicUrl);
  await seedBuiltinTools(db);
  const people = demoSkillsPeople();
  const existing = new Set<string>();
  for (const person of people) {
    if ((await findPersonByEmail(db, emailOf(person))) !== undefined) existing.add(emailOf(person));
  }
  const missing = people.filter((p) => !existing.has(emailOf(p)));
  if (missing.length > 0) {
    const checked = await checkStaffImport(db, { principal: null }, org.id, 'demo-skills.csv', csvOf(people));
    if (checked.errorCount > 0) throw new Error('The skills demo staff could not be imported');
    await applyStaffImport(db, { principal: null }, org.id, checked.importId);
  }
  let submitted = 0;
  for (const person of people) {
    const row = await findPersonByEmail(db, emailOf(person));
    const principal = row === undefined ? undefined : await loadPrincipal(db, row.id);
    if (principal === undefined) continue;
    if ((await assessmentHistory(db, principal, 'digital-skills')).length > 0) continue;
    const email = emailOf(person);
    await takeSelfAssessment(
      db,
      principal,
      'digital-skills',
      {
        level: (key) => demoLevel(email, person.jobRole, key),
        choice: () => (person.jobRole === 'Pharmacist' ? 'no' : 'yes'),
      },
      person.shares,
    );
    submitted++;
  }
  return submitted;
}
