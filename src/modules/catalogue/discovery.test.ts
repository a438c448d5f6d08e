import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoPrincipal, makeResource } from '../../../test/helpers/catalogue.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { takeSelfAssessment } from '../../seed/demo-skills.js';
import { builtinIdentifier } from '../competencies/frameworks.seed.js';
import { recordOutcome, startOrResume } from './progress.service.js';
import { resourcesForItems } from './search.service.js';

const PHISHING = builtinIdentifier('digital-capability', '1.2');
const RECORDS = builtinIdentifier('digital-capability', '5.1');

let t: TestApp;
const sessions = new Map<string, HttpSession>();

async function as(role: Parameters<typeof demoUser>[0]): Promise<HttpSession> {
  let session = sessions.get(role);
  if (session === undefined) {
    session = new HttpSession(t.url);
    const { email, password } = demoUser(role);
    await session.signIn(email, password);
    sessions.set(role, session);
  }
  return session;
}

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text inside the element marked with this data-qa, up to the first closing tag of the kind given. */
function qa(html: string, name: string, closing = '(?:p|a|button|strong)'): string | undefined {
  const match = new RegExp(`data-qa="${name}"[^>]*>([\\s\\S]*?)</${closing}>`).exec(html);
  return match === null ? undefined : text(match[1] ?? '');
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(async () => t.close());

describe('the resource page', () => {
  let id: string;
  beforeAll(async () => {
    id = (
      await makeResource(t.db, {
        title: 'Recognising sepsis',
        fields: {
          description: 'Spot the signs early.\n\nUse the screening tool on every shift.',
          durationMinutes: '75',
          provider: 'UK Sepsis Trust',
          licence: 'Open Government Licence v3.0',
          audienceStaffGroups: 'Nursing and Midwifery Registered, Medical and Dental',
          audienceJobRoles: 'Staff Nurse',
          competencies: [PHISHING],
          validityMonths: '12',
        },
      })
    ).id;
  });

  it('describes the learning to a learner, with a Start button and no editing', async () => {
    const { status, html } = await (await as('learner')).page(`/catalogue/resources/${id}`);
    expect(status).toBe(200);
    expect(html).toContain('<span class="nhsuk-caption-l" data-qa="resource-type">Web link</span> Recognising sepsis');
    expect(html).toContain('<p>Spot the signs early.</p>');
    expect(html).toContain('<p>Use the screening tool on every shift.</p>');
    const about = qa(html, 'about', 'dl') ?? '';
    for (const fact of [
      'Length 1 hour 15 minutes',
      'Provider UK Sepsis Trust',
      'Licence Open Government Licence v3.0',
      'Staff groups Nursing and Midwifery Registered, Medical and Dental',
      'Job roles Staff Nurse',
      'Catalogue National catalogue',
      'Version 1',
      'Completion valid for 12 months',
    ]) {
      expect(about).toContain(fact);
    }
    expect(html).toContain(`<a href="/frameworks/uri/${PHISHING}">DCF.1.2 Spots and reports phishing and scams</a>`);
    expect(qa(html, 'start-button')).toBe('Start');
    expect(qa(html, 'bookmark-button')).toBe('Bookmark');
    expect(html).not.toContain('data-qa="edit-link"');
    expect(html).not.toContain('data-qa="status-tag"');
    expect(qa(html, 'rating-summary')).toBe('Nobody has rated this learning yet.');
  });

  it('shows editors an Edit link and the status, also of a draft learners cannot find', async () => {
    const draft = await makeResource(t.db, { title: 'Draft on delirium', publish: false });
    const admin = await as('platform admin');
    const page = await admin.page(`/catalogue/resources/${draft.id}`);
    expect(page.status).toBe(200);
    expect(qa(page.html, 'status-tag')).toBe('Draft');
    expect(page.html).toContain(`href="/catalogue/resources/${draft.id}/edit"`);
    // Not published: nothing to start.
    expect(page.html).not.toContain('data-qa="start-button"');
    expect((await (await as('learner')).page(`/catalogue/resources/${draft.id}`)).status).toBe(404);
    expect(qa((await admin.page(`/catalogue/resources/${id}`)).html, 'status-tag')).toBe('Published');
  });

  it('answers 404 for an address that is no resource', async () => {
    const learner = await as('learner');
    expect((await learner.page('/catalogue/resources/not-a-uuid')).status).toBe(404);
    expect((await learner.page('/catalogue/resources/7d1f8a52-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('sends a signed-out visitor to sign in', async () => {
    const response = await new HttpSession(t.url).get(`/catalogue/resources/${id}`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(
      `/sign-in?returnTo=${encodeURIComponent(`/catalogue/resources/${id}`)}`,
    );
  });
});

describe('the start button', () => {
  it('starts, then resumes the same attempt, then starts again after completing, with the certificate', async () => {
    const resource = await makeResource(t.db, { title: 'Hand hygiene', fields: { validityMonths: '12' } });
    const article = await makeResource(t.db, {
      title: 'Infection control',
      type: 'article',
      content: { markdown: 'x' },
    });
    const learner = await as('learner');

    const started = await learner.postForm(`/catalogue/resources/${resource.id}/start`, {});
    expect(started.status).toBe(303);
    const location = started.headers.get('location') ?? '';
    expect(location).toMatch(/^\/learn\/view\/[0-9a-f-]{36}$/);
    const attemptId = location.split('/').pop() ?? '';
    const attempt = await t.db
      .selectFrom('learning_attempts')
      .select(['person_id', 'resource_id', 'status'])
      .where('id', '=', attemptId)
      .executeTakeFirstOrThrow();
    expect(attempt).toMatchObject({ resource_id: resource.id, status: 'in_progress' });

    const page = await learner.page(`/catalogue/resources/${resource.id}`);
    expect(qa(page.html, 'start-button')).toBe('Resume');
    const resumed = await learner.postForm(`/catalogue/resources/${resource.id}/start`, {});
    expect(resumed.headers.get('location')).toBe(location);

    const principal = await demoPrincipal(t.db, 'learner');
    const taking = await startOrResume(t.db, t.url, principal, resource.id);
    const completion = await recordOutcome(t.db, t.url, taking, { status: 'completed' });
    const after = await learner.page(`/catalogue/resources/${resource.id}`);
    expect(qa(after.html, 'start-button')).toBe('Start again');
    const completed = qa(after.html, 'completion', 'div') ?? '';
    expect(completed).toMatch(/You completed this on \d{1,2} \w+ \d{4}\./);
    expect(completed).toMatch(/Valid until \d{1,2} \w+ \d{4}\./);
    expect(after.html).toContain(`href="/my-learning/certificates/${completion?.id ?? ''}.pdf"`);

    const again = await learner.postForm(`/catalogue/resources/${resource.id}/start`, {});
    expect(again.headers.get('location')).not.toBe(location);

    // Each type goes to its own player.
    const viewed = await learner.postForm(`/catalogue/resources/${article.id}/start`, {});
    expect(viewed.headers.get('location')).toMatch(/^\/learn\/view\//);
  });

  it('refuses a resource the learner cannot see, and a form without its token', async () => {
    const learner = await as('learner');
    const draft = await makeResource(t.db, { title: 'Unpublished start', publish: false });
    expect((await learner.postForm(`/catalogue/resources/${draft.id}/start`, {})).status).toBe(404);
    const published = await makeResource(t.db, { title: 'Token check' });
    expect((await learner.postForm(`/catalogue/resources/${published.id}/start`, {}, { withCsrf: false })).status).toBe(
      403,
    );
    const attempts = await t.db
      .selectFrom('learning_attempts')
      .select('id')
      .where('resource_id', 'in', [draft.id, published.id])
      .execute();
    expect(attempts).toEqual([]);
  });
});

describe('because you need', () => {
  it('offers learning for the gaps between the self-assessment and the role profile', async () => {
    const learner = await as('learner');
    // Before any self-assessment: nothing to go on.
    expect((await learner.page('/catalogue')).html).not.toContain('data-qa="because-you-need"');

    await makeResource(t.db, { title: 'Spotting scam emails', fields: { competencies: [PHISHING] } });
    await makeResource(t.db, { title: 'Good record keeping', fields: { competencies: [RECORDS] } });
    const principal = await demoPrincipal(t.db, 'learner');
    // The Band 5 staff nurse profile needs 1.2 at level 2; the learner says 1, and enough of everything else.
    await takeSelfAssessment(t.db, principal, 'digital-skills', { level: (key) => (key === 'dcf-1.2' ? 1 : 3) }, false);

    const { html } = await learner.page('/catalogue');
    const section = /data-qa="because-you-need">([\s\S]*?)<p class="nhsuk-body-s">From the gaps/.exec(html)?.[1] ?? '';
    expect(text(section)).toContain('Because you need Spots and reports phishing and scams');
    expect(section).toContain('Spotting scam emails');
    expect(section).not.toContain('Good record keeping');
    expect(section).toContain(`href="/catalogue?competency=${PHISHING}"`);
    // Only when browsing: a search shows its results alone.
    expect((await learner.page('/catalogue?q=scam')).html).not.toContain('data-qa="because-you-need"');

    const byItem = await resourcesForItems(t.db, principal, [PHISHING, RECORDS]);
    expect(byItem.get(PHISHING)?.map((r) => r.title)).toContain('Spotting scam emails');
    expect(byItem.get(RECORDS)?.map((r) => r.title)).toEqual(['Good record keeping']);
  });
});
