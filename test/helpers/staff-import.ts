import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { TestApp } from './app.js';
import { demoUser } from './demo.js';
import { HttpSession } from './http.js';

/** Helpers for the staff-import tests: building CSVs, uploading them, and reading what landed. */
export const HEADER =
  'Assignment Number,First Name,Last Name,Email,Staff Group,Job Role,Band,Organisation Code,Start Date';

export const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

export function upload(session: HttpSession, content: string | Buffer, code = 'RNB'): Promise<Response> {
  return session.postFile(
    `/admin/organisations/${code}/import`,
    {},
    { field: 'file', name: 'staff.csv', type: 'text/csv', content },
  );
}

/** One CSV row in HEADER's column order. */
export function row(
  n: string,
  given: string,
  family: string,
  email: string,
  extra: Partial<Record<'org' | 'date' | 'band' | 'role', string>> = {},
): string {
  return [
    n,
    given,
    family,
    email,
    'Nursing and Midwifery Registered',
    extra.role ?? 'Staff Nurse',
    extra.band ?? 'Band 5',
    extra.org ?? 'RNB',
    extra.date ?? '01/09/2024',
  ].join(',');
}

export function csv(...rows: string[]): string {
  return [HEADER, ...rows].join('\n') + '\n';
}

export function importIdIn(html: string): string {
  const id = /\/import\/([0-9a-f-]{36})\/apply/.exec(html)?.[1];
  if (id === undefined) throw new Error('No confirm form on the page');
  return id;
}

/** Helpers bound to one running test app. */
export function staffImportKit(t: TestApp) {
  return {
    async signedInAs(role: Parameters<typeof demoUser>[0]): Promise<HttpSession> {
      const session = new HttpSession(t.url);
      const { email, password } = demoUser(role);
      await session.signIn(email, password);
      return session;
    },

    async latestImportId(): Promise<string> {
      const found = await t.db
        .selectFrom('staff_imports')
        .select('id')
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow();
      return found.id;
    },

    async peopleCount(): Promise<number> {
      const found = await t.db
        .selectFrom('people')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow();
      return found.n;
    },

    async personExists(email: string): Promise<boolean> {
      return (await t.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
    },

    membershipOf(email: string, code = 'RNB') {
      return t.db
        .selectFrom('memberships as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
        .select([
          'm.roles',
          'm.band',
          'm.job_role',
          'm.staff_group',
          'm.assignment_number',
          'm.start_date',
          'p.password_hash',
          'p.given_name',
        ])
        .where('p.email', '=', email)
        .where('o.code', '=', code)
        .executeTakeFirst();
    },
  };
}
