// Certificates: the learner downloads their own as a PDF (and the admins of where they work now may too); nobody else
// can tell one exists; anyone can check a number on the public page, which names only the holder, the learning,
// the date and whether it is valid, and which is rate-limited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { complete, daysAgo, pastCompletion, personNamed, publishedLink } from '../../../test/helpers/learning.js';
import { DEMO_PASSWORD } from '../../seed/demo-data.js';
import type { CompletionRow } from './progress.service.js';

let t: TestApp;
let completion: CompletionRow;
let expired: CompletionRow;
const sessions = new Map<string, HttpSession>();

async function signedIn(email: string, password = DEMO_PASSWORD): Promise<HttpSession> {
  let session = sessions.get(email);
  if (session === undefined) {
    session = new HttpSession(t.url);
    await session.signIn(email, password);
    sessions.set(email, session);
  }
  return session;
}

const as = (role: Parameters<typeof demoUser>[0]) => signedIn(demoUser(role).email);

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  const amara = await personNamed(t.db, 'Amara', 'Okafor');
  const resource = await publishedLink(t.db, 'Moving & handling: people (level 2)', {
    validityMonths: 24,
    provider: 'NHS England e-Learning for Healthcare',
  });
  completion = await complete(t.db, t.url, amara.id, resource, 92.5);
  expired = await pastCompletion(t.db, amara.id, resource, daysAgo(800), daysAgo(70));
});
afterAll(async () => t.close());

describe('downloading a certificate', () => {
  it('gives the learner their certificate as a PDF attachment', async () => {
    const response = await (await as('learner')).get(`/my-learning/certificates/${completion.id}.pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="certificate-moving-handling-people-level-2-${completion.certificate_number}.pdf"`,
    );
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain(completion.certificate_number);
  });

  it('lets an admin of the learner’s organisation download it, and nobody else', async () => {
    expect((await (await as('org admin')).get(`/my-learning/certificates/${completion.id}.pdf`)).status).toBe(200);
    for (const session of [
      await as('org admin (community trust)'),
      await as('supervisor'),
      await signedIn((await personNamed(t.db, 'Sofia', 'Kowalska')).email),
    ]) {
      expect((await session.get(`/my-learning/certificates/${completion.id}.pdf`)).status).toBe(404);
    }
    const anonymous = await new HttpSession(t.url).get(`/my-learning/certificates/${completion.id}.pdf`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);
  });

  it('answers a bad address with not found', async () => {
    const learner = await as('learner');
    for (const path of [
      `/my-learning/certificates/${completion.id}`,
      '/my-learning/certificates/not-an-id.pdf',
      '/my-learning/certificates/00000000-0000-4000-8000-000000000000.pdf',
    ]) {
      expect((await learner.get(path)).status).toBe(404);
    }
  });
});

describe('checking a certificate', () => {
  it('shows anyone whose it is, for what, when, and that it is valid, and nothing more', async () => {
    const { status, html } = await new HttpSession(t.url).page(`/certificates/${completion.certificate_number}`);
    expect(status).toBe(200);
    expect(html).toContain('Valid');
    expect(html).toContain('This is a real certificate of completion issued by Tessera, and it is valid.');
    expect(html).toContain('Amara Okafor');
    expect(html).toContain('Moving &amp; handling: people (level 2)');
    expect(html).toContain('Valid until');
    expect(html).not.toContain(demoUser('learner').email);
    expect(html).not.toContain('92.5');
    expect(html).not.toContain('Northbridge');
  });

  it('says when a certificate has expired', async () => {
    const { html } = await new HttpSession(t.url).page(`/certificates/${expired.certificate_number}`);
    expect(html).toContain('but it has expired');
    expect(html).toContain('Expired on');
  });

  it('finds a number typed loosely, and says when there is no such certificate', async () => {
    const visitor = new HttpSession(t.url);
    const typed = await visitor.get(
      `/certificates?number=${encodeURIComponent(` ${completion.certificate_number.toLowerCase()} `)}`,
    );
    expect(typed.status).toBe(303);
    expect(typed.headers.get('location')).toBe(`/certificates/${completion.certificate_number}`);
    const lower = await visitor.get(`/certificates/${completion.certificate_number.toLowerCase()}`);
    expect(lower.status).toBe(301);
    const missing = await visitor.page('/certificates/TSR-2026-AAAA-BBBB');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('Certificate not found');
    const nonsense = await visitor.page('/certificates/%3Cscript%3E');
    expect(nonsense.status).toBe(404);
    expect(nonsense.html).not.toContain('<script>');
    const badForm = await visitor.page('/certificates?number=12345');
    expect(badForm.status).toBe(400);
    expect(badForm.html).toContain('Enter the certificate number as it is printed');
  });

  it('limits how many checks one address makes a minute', async () => {
    const visitor = new HttpSession(t.url);
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await visitor.get('/certificates/TSR-2026-AAAA-CCCC')).status);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(30);
    const limited = await visitor.page('/certificates/TSR-2026-AAAA-CCCC');
    expect(limited.status).toBe(429);
    expect(limited.html).toContain('Too many certificate checks');
  });
});
