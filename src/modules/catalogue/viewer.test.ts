// The viewer over HTTP, as learners use it: each type of resource on its page, marking it complete, media progress,
// and the stored files behind them (who may fetch them, and in pieces).
import { scorm12Package } from '../../../test/fixtures/packages/build.js';
import { readPackage } from './packages/package.read.js';
import { insertPackage } from './packages.store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoPrincipal, makeResource } from '../../../test/helpers/catalogue.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { CAPTIONS_VTT, storeFile, TINY_PDF, TINY_PNG, tinyMp4 } from '../../../test/helpers/stored-files.js';
import { createCatalogue } from './catalogues.service.js';
import { startOrResume } from './progress.service.js';
import { VERBS } from './progress.statements.js';

let t: TestApp;
const sessions = new Map<string, HttpSession>();
const VIDEO = tinyMp4();

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

/** The learner's new attempt at a resource, as the start button makes it. */
async function attemptAt(resourceId: string, role: Parameters<typeof demoUser>[0] = 'learner') {
  const taking = await startOrResume(t.db, t.url, await demoPrincipal(t.db, role), resourceId);
  return taking.attempt;
}

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, '’')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

let videoFileId: string;
let captionsFileId: string;
let ids: Record<'video' | 'audio' | 'document' | 'image' | 'link' | 'article', string>;

beforeAll(async () => {
  t = await startTestApp();
  videoFileId = await storeFile(t.db, 'hand-hygiene.mp4', 'video/mp4', VIDEO);
  captionsFileId = await storeFile(t.db, 'hand-hygiene.vtt', 'text/vtt', CAPTIONS_VTT);
  const audioFileId = await storeFile(t.db, 'briefing.mp3', 'audio/mpeg', Buffer.from('ID3\u0003\u0000rest of an mp3'));
  const pdfId = await storeFile(t.db, 'Policy (2026).pdf', 'application/pdf', TINY_PDF);
  const pngId = await storeFile(t.db, 'steps.png', 'image/png', TINY_PNG);
  const make = async (type: keyof typeof ids, title: string, content: Record<string, unknown>) =>
    (await makeResource(t.db, { type, title, content, fields: { description: `About ${title}` } })).id;
  ids = {
    video: await make('video', 'Hand hygiene in 5 moments', { fileId: videoFileId, captionsFileId }),
    audio: await make('audio', 'Shift briefing', {
      fileId: audioFileId,
      transcript: 'Good morning.\n\nThree admissions overnight.',
    }),
    document: await make('document', 'Infection control policy', { fileId: pdfId }),
    image: await make('image', 'Handwashing steps', {
      fileId: pngId,
      altText: 'Six steps of handwashing, from palms to wrists',
    }),
    link: await make('link', 'NICE guidance on sepsis', { url: 'https://www.nice.org.uk/guidance/ng51' }),
    article: await make('article', 'Why we wash', {
      markdown: '# Why we wash\n\nHands carry **germs**.\n\n<script>alert(1)</script>\n\n- Before touching a patient\n',
    }),
  };
});
afterAll(async () => t.close());

describe('the viewer page', () => {
  it('plays a video with its captions track and a transcript made from the captions', async () => {
    const attempt = await attemptAt(ids.video);
    const { status, html } = await (await as('learner')).page(`/learn/view/${attempt.id}`);
    expect(status).toBe(200);
    expect(html).toMatch(/<video[^>]*controls/);
    expect(html).toContain(`<source src="/learn/view/${attempt.id}/file" type="video/mp4">`);
    expect(html).toMatch(
      new RegExp(
        `<track kind="captions" srclang="en" label="English" src="/learn/view/${attempt.id}/captions.vtt" default>`,
      ),
    );
    const transcript = /<details[^>]*data-qa="transcript"[\s\S]*?<\/details>/.exec(html)?.[0] ?? '';
    expect(text(transcript)).toContain('Transcript');
    expect(transcript).toContain('<p>Wash your hands for twenty seconds.</p><p>Dry them with a clean towel.</p>');
    expect(html).toContain('src="/static/viewer/media-progress.js"');
    expect(html).toContain('Mark as complete');
  });

  it('plays audio with the transcript it was given', async () => {
    const attempt = await attemptAt(ids.audio);
    const { status, html } = await (await as('learner')).page(`/learn/view/${attempt.id}`);
    expect(status).toBe(200);
    expect(html).toMatch(/<audio[^>]*controls/);
    expect(html).not.toContain('<track');
    expect(html).toContain('<p>Good morning.</p><p>Three admissions overnight.</p>');
  });

  it('links to a document to open or download, naming its kind and size', async () => {
    const attempt = await attemptAt(ids.document);
    const { html } = await (await as('learner')).page(`/learn/view/${attempt.id}`);
    expect(text(html)).toContain(`Open Infection control policy (PDF, ${TINY_PDF.length} bytes)`);
    expect(html).toContain(`href="/learn/view/${attempt.id}/file?download=1"`);
  });

  it('shows an image with its alternative text', async () => {
    const attempt = await attemptAt(ids.image);
    const { html } = await (await as('learner')).page(`/learn/view/${attempt.id}`);
    expect(html).toMatch(
      new RegExp(
        `<img[^>]*src="/learn/view/${attempt.id}/file"[^>]*alt="Six steps of handwashing, from palms to wrists"`,
      ),
    );
  });

  it('shows a web link with a button that opens it in a new tab, without embedding the site', async () => {
    const attempt = await attemptAt(ids.link);
    const { html } = await (await as('learner')).page(`/learn/view/${attempt.id}`);
    expect(html).toMatch(
      /<a class="nhsuk-button" href="https:\/\/www.nice.org.uk\/guidance\/ng51" target="_blank" rel="noopener noreferrer"[^>]*>Open NICE guidance on sepsis \(opens in a new tab\)<\/a>/,
    );
    expect(text(html)).toContain('About NICE guidance on sepsis');
    expect(html).not.toMatch(/<iframe/);
  });

  it('renders an article’s Markdown, with raw HTML shown as text', async () => {
    const attempt = await attemptAt(ids.article);
    const { html } = await (await as('learner')).page(`/learn/view/${attempt.id}`);
    expect(html).toContain('<h2>Why we wash</h2>');
    expect(html).toContain('<strong>germs</strong>');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('is not found for another person’s attempt, or an address that is not one', async () => {
    const attempt = await attemptAt(ids.article);
    expect((await (await as('supervisor')).page(`/learn/view/${attempt.id}`)).status).toBe(404);
    expect((await (await as('supervisor')).page(`/learn/view/${attempt.id}/file`)).status).toBe(404);
    expect((await (await as('learner')).page('/learn/view/not-an-attempt')).status).toBe(404);
    expect((await (await as('learner')).page('/learn/view/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('sends a package’s attempt to its player', async () => {
    const zip = scorm12Package();
    const packageId = await insertPackage(t.db, readPackage(zip), zip, null);
    const scorm = await makeResource(t.db, {
      type: 'scorm12',
      title: 'Fire safety e-learning',
      content: {},
      packageId,
    });
    const attempt = await attemptAt(scorm.id);
    const response = await (await as('learner')).get(`/learn/view/${attempt.id}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/learn/scorm/${attempt.id}`);
  });
});

describe('marking a resource complete', () => {
  it('makes a completion and writes launched and completed to the learner’s record, once', async () => {
    const pdf = await storeFile(t.db, 'sharps.pdf', 'application/pdf', TINY_PDF);
    const sharps = await makeResource(t.db, { type: 'document', title: 'Sharps safety', content: { fileId: pdf } });
    const attempt = await attemptAt(sharps.id);
    const learner = await as('learner');
    const response = await learner.postForm(`/learn/view/${attempt.id}/complete`, {});
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/learn/view/${attempt.id}?completed=1`);
    const page = await learner.page(`/learn/view/${attempt.id}?completed=1`);
    expect(text(page.html)).toContain('You have marked this as complete');
    expect(text(page.html)).toContain('You completed this on');
    expect(page.html).not.toContain('data-qa="mark-complete"');

    expect((await learner.postForm(`/learn/view/${attempt.id}/complete`, {})).status).toBe(303);
    const completions = await t.db.selectFrom('completions').selectAll().where('attempt_id', '=', attempt.id).execute();
    expect(completions).toHaveLength(1);
    expect(completions[0]?.certificate_number).toMatch(/^TSR-\d{4}-/);
    const ended = await t.db
      .selectFrom('learning_attempts')
      .select('status')
      .where('id', '=', attempt.id)
      .executeTakeFirst();
    expect(ended?.status).toBe('completed');
    const verbs = await t.db
      .selectFrom('lrs_statements')
      .select('verb_id')
      .where('registration', '=', attempt.registration)
      .orderBy('seq')
      .execute();
    expect(verbs.map((v) => v.verb_id)).toEqual([VERBS.launched.id, VERBS.completed.id]);
  });

  it('refuses a form without its CSRF token, and another person', async () => {
    const attempt = await attemptAt(ids.link);
    expect(
      (await (await as('learner')).postForm(`/learn/view/${attempt.id}/complete`, {}, { withCsrf: false })).status,
    ).toBe(403);
    expect((await (await as('supervisor')).postForm(`/learn/view/${attempt.id}/complete`, {})).status).toBe(404);
    const completions = await t.db
      .selectFrom('completions')
      .select('id')
      .where('attempt_id', '=', attempt.id)
      .execute();
    expect(completions).toHaveLength(0);
  });
});

describe('media progress', () => {
  it('keeps the position and writes each quarter reached once', async () => {
    const attempt = await attemptAt(ids.video);
    const learner = await as('learner');
    for (const percent of ['25', '50', '25']) {
      const response = await learner.postForm(`/learn/view/${attempt.id}/progress`, { percent, position: '42' });
      expect(response.status).toBe(204);
    }
    const progressed = await t.db
      .selectFrom('lrs_statements')
      .select('statement')
      .where('registration', '=', attempt.registration)
      .where('verb_id', '=', VERBS.progressed.id)
      .orderBy('seq')
      .execute();
    expect(progressed).toHaveLength(2);
    const row = await t.db
      .selectFrom('learning_attempts')
      .select('progress')
      .where('id', '=', attempt.id)
      .executeTakeFirst();
    expect(row?.progress).toEqual({ percent: 50, position: 42 });
    // The player picks up where the learner left off.
    expect((await learner.page(`/learn/view/${attempt.id}`)).html).toContain('data-start="42"');
  });

  it('refuses a percent that is not one', async () => {
    const attempt = await attemptAt(ids.video);
    const response = await (await as('learner')).postForm(`/learn/view/${attempt.id}/progress`, { percent: '250' });
    expect(response.status).toBe(400);
  });
});

describe('stored files', () => {
  it('sends the attempt’s file inline with its type, in whole or in a range', async () => {
    const attempt = await attemptAt(ids.video);
    const learner = await as('learner');
    const whole = await learner.get(`/learn/view/${attempt.id}/file`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('content-disposition')).toBe('inline; filename="hand-hygiene.mp4"');
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(VIDEO)).toBe(true);

    const part = await learner.get(`/learn/view/${attempt.id}/file`, { range: 'bytes=4-11' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 4-11/${VIDEO.length}`);
    expect(part.headers.get('content-length')).toBe('8');
    expect(Buffer.from(await part.arrayBuffer()).toString('latin1')).toBe('ftypisom');

    const tail = await learner.get(`/learn/view/${attempt.id}/file`, { range: 'bytes=300-' });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(VIDEO.subarray(300))).toBe(true);

    const outside = await learner.get(`/learn/view/${attempt.id}/file`, { range: `bytes=${VIDEO.length}-` });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${VIDEO.length}`);

    const several = await learner.get(`/learn/view/${attempt.id}/file`, { range: 'bytes=0-1,4-5' });
    expect(several.status).toBe(200);
    expect((await several.arrayBuffer()).byteLength).toBe(VIDEO.length);
  });

  it('answers a repeat request for unchanged content with 304, and a download as an attachment', async () => {
    const attempt = await attemptAt(ids.document);
    const learner = await as('learner');
    const first = await learner.get(`/learn/view/${attempt.id}/file`);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect((await learner.get(`/learn/view/${attempt.id}/file`, { 'if-none-match': etag })).status).toBe(304);
    const download = await learner.get(`/learn/view/${attempt.id}/file?download=1`);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="Policy (2026).pdf"');
  });

  it('sends captions as WebVTT', async () => {
    const attempt = await attemptAt(ids.video);
    const response = await (await as('learner')).get(`/learn/view/${attempt.id}/captions.vtt`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/vtt; charset=utf-8');
    expect(await response.text()).toBe(CAPTIONS_VTT);
    const audio = await attemptAt(ids.audio);
    expect((await (await as('learner')).get(`/learn/view/${audio.id}/captions.vtt`)).status).toBe(404);
  });

  it('sends a file by id to those who may see a resource made of it, and to no one else', async () => {
    const learner = await as('learner');
    const published = await learner.get(`/files/${videoFileId}`, { range: 'bytes=0-3' });
    expect(published.status).toBe(206);

    const draftFile = await storeFile(t.db, 'draft.pdf', 'application/pdf', TINY_PDF);
    await makeResource(t.db, {
      type: 'document',
      title: 'Draft policy',
      content: { fileId: draftFile },
      publish: false,
    });
    expect((await learner.get(`/files/${draftFile}`)).status).toBe(404);
    // The national catalogue's editors are platform admins.
    expect((await (await as('platform admin')).get(`/files/${draftFile}`)).status).toBe(200);

    const rwm = await t.db.selectFrom('organisations').select('id').where('code', '=', 'RWM').executeTakeFirstOrThrow();
    const restricted = await createCatalogue(t.db, await demoPrincipal(t.db, 'org admin (community trust)'), rwm.id, {
      name: 'Westmoor staff only',
      description: '',
      visibility: 'restricted',
    });
    const restrictedFile = await storeFile(t.db, 'westmoor.pdf', 'application/pdf', TINY_PDF);
    await makeResource(t.db, {
      type: 'document',
      title: 'Westmoor lone working',
      catalogueId: restricted.id,
      content: { fileId: restrictedFile },
    });
    expect((await learner.get(`/files/${restrictedFile}`)).status).toBe(404);
    expect((await (await as('org admin (community trust)')).get(`/files/${restrictedFile}`)).status).toBe(200);

    const unused = await storeFile(t.db, 'loose.pdf', 'application/pdf', TINY_PDF);
    expect((await (await as('platform admin')).get(`/files/${unused}`)).status).toBe(404);
    expect((await learner.get('/files/not-a-file')).status).toBe(404);
  });

  it('downloads a file of a type that would run as this site, rather than showing it', async () => {
    const svg = await storeFile(
      t.db,
      'diagram.svg',
      'image/svg+xml',
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    await makeResource(t.db, { type: 'image', title: 'Diagram', content: { fileId: svg, altText: 'A diagram' } });
    const response = await (await as('learner')).get(`/files/${svg}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="diagram.svg"');
  });

  it('needs a signed-in person', async () => {
    const response = await new HttpSession(t.url).get(`/files/${videoFileId}`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(/^\/sign-in/);
  });
});
