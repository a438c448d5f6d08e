// Adding video, audio, documents, images, web links, articles and assessments through the pages: files are told by
// their content, captions and transcripts follow WCAG, bad input comes back on the form with nothing stored, and
// uploads over the limits (lowered here so the test sends kilobytes, not megabytes) are refused the same way.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scorm12Package } from '../../../test/fixtures/packages/build.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { basic, HttpSession } from '../../../test/helpers/http.js';
import { createApiClient } from '../../platform/auth/api-clients.service.js';
import { UPLOAD_LIMITS } from './uploads.js';

const KB = 1024;
UPLOAD_LIMITS.document = 64 * KB;
UPLOAD_LIMITS.image = 64 * KB;
UPLOAD_LIMITS.media = 128 * KB;
UPLOAD_LIMITS.captions = 2 * KB;
UPLOAD_LIMITS.package = 256 * KB;

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
const SVG = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
);
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(128)]);
/** The start of an MP4 with a video track: an ftyp box, and a handler box saying 'vide'. */
const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypisom'),
  Buffer.alloc(12),
  Buffer.from([0, 0, 0, 0x21]),
  Buffer.from('hdlr'),
  Buffer.alloc(8),
  Buffer.from('vide'),
  Buffer.alloc(64),
]);
const SRT =
  '1\n00:00:01,000 --> 00:00:03,000\nHello and welcome.\n\n2\n00:00:03,500 --> 00:00:05,000\nWash your hands often.\n';

let t: TestApp;
let educator: HttpSession;
let catalogue: string;

interface Upload {
  field: string;
  name: string;
  content: Buffer | string;
}

/** Sends a multipart form with any number of files, as the browser does. */
async function postMultipart(
  session: HttpSession,
  path: string,
  fields: Record<string, string>,
  files: Upload[],
): Promise<Response> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('_csrf', session.cookies.get('tessera_csrf') ?? '');
  for (const file of files) {
    const content = typeof file.content === 'string' ? file.content : new Uint8Array(file.content);
    form.append(file.field, new Blob([content]), file.name);
  }
  return fetch(t.url + path, {
    method: 'POST',
    headers: { cookie: [...session.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    body: form,
    redirect: 'manual',
  });
}

function add(kind: string, fields: Record<string, string>, files: Upload[] = []): Promise<Response> {
  return postMultipart(educator, `/catalogue/resources/new/${kind}`, { catalogue, ...fields }, files);
}

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

async function created(response: Response): Promise<{ id: string; content: Record<string, unknown> }> {
  const location = response.headers.get('location') ?? '';
  const id = /^\/catalogue\/resources\/([0-9a-f-]{36})\/edit/.exec(location)?.[1];
  if (id === undefined)
    throw new Error(`Not created (${response.status}): ${text(await response.text()).slice(0, 600)}`);
  const version = await t.db
    .selectFrom('resource_versions')
    .select('content')
    .where('resource_id', '=', id)
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow();
  return { id, content: version.content };
}

async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of ['stored_files', 'resources', 'resource_versions', 'packages'] as const) {
    const row = await t.db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    result[table] = row.n;
  }
  return result;
}

/** The error shown next to a field, as text: the error message element the field's form group holds. */
function fieldError(html: string, id: string): string {
  const at = html.indexOf(`id="${id}-error"`);
  if (at < 0 || !html.slice(Math.max(0, at - 2000), at).includes('nhsuk-form-group--error')) return '';
  // The message ends where the field's own markup (or its hint) starts.
  const rest = html.slice(at);
  const end = rest.search(/<(input|textarea|select|div)\b/);
  return text(`<x ${rest.slice(0, end < 0 ? 1000 : end)}`).trim();
}

beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  educator = new HttpSession(t.url);
  const { email, password } = demoUser('educator');
  await educator.signIn(email, password);
  const org = await t.db.selectFrom('organisations').select('id').where('code', '=', 'ENS01').executeTakeFirstOrThrow();
  catalogue = `org:${org.id}`;
  // The first resource makes the school's catalogue; later ones name it.
  const first = await add('link', { title: 'First link', url: 'https://www.example.org/' });
  await created(first);
  catalogue = (
    await t.db.selectFrom('catalogues').select('id').where('organisation_id', '=', org.id).executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => t.close());

describe('video and audio', () => {
  it('needs captions for a video with sound, and makes the transcript from them', async () => {
    const before = await counts();
    const bare = await add('video', { title: 'Hand washing' }, [{ field: 'file', name: 'v.mp4', content: MP4 }]);
    expect(bare.status).toBe(400);
    expect(fieldError(await bare.text(), 'captions')).toContain('a video with sound needs captions');
    expect(await counts()).toEqual(before);

    const response = await add('video', { title: 'Hand washing' }, [
      { field: 'captions', name: 'v.srt', content: SRT },
      { field: 'file', name: 'v.mp4', content: MP4 },
    ]);
    const { id, content } = await created(response);
    expect(content.transcript).toContain('Hello and welcome.');
    expect(content.transcript).toContain('Wash your hands often.');
    const files = await t.db
      .selectFrom('stored_files')
      .select(['id', 'content_type', 'content'])
      .where('id', 'in', [String(content.fileId), String(content.captionsFileId)])
      .execute();
    expect(files.map((f) => f.content_type).sort()).toEqual(['text/vtt; charset=utf-8', 'video/mp4']);
    const vtt = files.find((f) => f.content_type.startsWith('text/vtt'))?.content;
    expect(Buffer.from(vtt ?? new Uint8Array()).toString('utf8')).toMatch(
      /^WEBVTT\n\n1\n00:00:01\.000 --> 00:00:03\.000\nHello and welcome\./,
    );
    const file = await educator.get(`/catalogue/resources/${id}/edit/files/${String(content.fileId)}`);
    expect(file.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await file.arrayBuffer()).equals(MP4)).toBe(true);
  });

  it('takes a silent video with a description instead of captions', async () => {
    const undescribed = await add('video', { title: 'Silent demo', noAudio: 'yes' }, [
      { field: 'file', name: 'v.mp4', content: MP4 },
    ]);
    expect(fieldError(await undescribed.text(), 'transcript')).toContain(
      'a video without sound needs a text description',
    );
    const { content } = await created(
      await add('video', { title: 'Silent demo', noAudio: 'yes', transcript: 'Hands are rubbed palm to palm.' }, [
        { field: 'file', name: 'v.mp4', content: MP4 },
      ]),
    );
    expect(content).toMatchObject({ transcript: 'Hands are rubbed palm to palm.' });
    expect(content.captionsFileId).toBeUndefined();
  });

  it('needs a transcript or captions for audio, and refuses a video as audio', async () => {
    const bare = await add('audio', { title: 'Podcast' }, [{ field: 'file', name: 'a.mp3', content: MP3 }]);
    expect(fieldError(await bare.text(), 'transcript')).toBe(
      'Error: Add a transcript, or a captions file to make one from',
    );
    const video = await add('audio', { title: 'Podcast', transcript: 'Words.' }, [
      { field: 'file', name: 'a.mp3', content: MP4 },
    ]);
    expect(fieldError(await video.text(), 'file')).toContain(
      'The selected file is an MP4 video. Choose an MP3, M4A, Ogg or WAV',
    );
    const { content } = await created(
      await add('audio', { title: 'Podcast', transcript: 'Words.' }, [{ field: 'file', name: 'a.mp3', content: MP3 }]),
    );
    expect(content.transcript).toBe('Words.');
  });

  it('refuses captions that are neither WebVTT nor SubRip, or too long', async () => {
    const before = await counts();
    const wrong = await add('video', { title: 'V' }, [
      { field: 'captions', name: 'c.txt', content: 'Just some words' },
      { field: 'file', name: 'v.mp4', content: MP4 },
    ]);
    expect(fieldError(await wrong.text(), 'captions')).toContain('must be a WebVTT (.vtt) or SubRip (.srt) file');
    const long = await add('video', { title: 'V' }, [
      { field: 'captions', name: 'c.srt', content: SRT.repeat(40) },
      { field: 'file', name: 'v.mp4', content: MP4 },
    ]);
    expect(fieldError(await long.text(), 'captions')).toContain('must be 2 KB or smaller');
    expect(await counts()).toEqual(before);
  });
});

describe('documents and images', () => {
  it('stores a PDF, and refuses an image as a document', async () => {
    const wrong = await add('document', { title: 'Policy' }, [{ field: 'file', name: 'p.pdf', content: PNG }]);
    expect(fieldError(await wrong.text(), 'file')).toContain('The selected file is a PNG image. Choose a PDF');
    const { content } = await created(
      await add('document', { title: 'Policy' }, [{ field: 'file', name: 'p.pdf', content: PDF }]),
    );
    const stored = await t.db
      .selectFrom('stored_files')
      .select(['content_type', 'filename', 'size_bytes'])
      .where('id', '=', String(content.fileId))
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ content_type: 'application/pdf', filename: 'policy.pdf', size_bytes: PDF.length });
  });

  it('refuses SVG with its reason, and needs alternative text', async () => {
    const before = await counts();
    const svg = await add('image', { title: 'Diagram', altText: 'A diagram' }, [
      { field: 'file', name: 'd.svg', content: SVG },
    ]);
    expect(fieldError(await svg.text(), 'file')).toContain('SVG images can contain scripts');
    const noAlt = await add('image', { title: 'Diagram' }, [{ field: 'file', name: 'd.png', content: PNG }]);
    expect(fieldError(await noAlt.text(), 'altText')).toContain('Describe the image');
    expect(await counts()).toEqual(before);
    const { content } = await created(
      await add('image', { title: 'Diagram', altText: 'The five moments for hand hygiene' }, [
        { field: 'file', name: 'd.png', content: PNG },
      ]),
    );
    expect(content.altText).toBe('The five moments for hand hygiene');
  });

  it('refuses a file over the limit with the form filled in again, storing nothing', async () => {
    const before = await counts();
    const response = await add('document', { title: 'Big policy', keywords: 'policy' }, [
      { field: 'file', name: 'big.pdf', content: Buffer.concat([PDF, Buffer.alloc(65 * KB)]) },
    ]);
    expect(response.status).toBe(413);
    const html = await response.text();
    expect(fieldError(html, 'file')).toBe('Error: The selected file is too large: it must be 64 KB or smaller');
    expect(html).toContain('value="Big policy"');
    expect(html).toContain('value="policy"');
    expect(await counts()).toEqual(before);
  });

  it('refuses a package over the limit on the form and through the API', async () => {
    const before = await counts();
    const big = Buffer.concat([Buffer.from(scorm12Package()), Buffer.alloc(257 * KB)]);
    const page = await add('package', { title: '' }, [{ field: 'file', name: 'big.zip', content: big }]);
    expect(page.status).toBe(413);
    expect(fieldError(await page.text(), 'file')).toContain('must be 256 KB or smaller');
    const org = await t.db
      .selectFrom('organisations')
      .select('id')
      .where('code', '=', 'ENS01')
      .executeTakeFirstOrThrow();
    const { key, secret } = await createApiClient(t.db, { principal: null }, org.id, {
      name: 'Importer',
      scopes: ['catalogue'],
    });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(big)]), 'big.zip');
    const api = await fetch(`${t.url}/api/v1/resources/packages`, {
      method: 'POST',
      headers: { authorization: basic(key, secret) },
      body: form,
    });
    expect(api.status).toBe(413);
    expect(await api.json()).toMatchObject({
      error: 'too_large',
      message: 'The package is too large: it must be 256 KB or smaller.',
    });
    expect(await counts()).toEqual(before);
  });
});

describe('links, articles and assessments', () => {
  it('takes only http and https addresses for a link', async () => {
    for (const url of ['javascript:alert(1)', 'ftp://files.example.org/course', 'not a url']) {
      const response = await add('link', { title: 'Somewhere', url });
      expect(fieldError(await response.text(), 'url')).toContain('starts with https:// or http://');
    }
    const { content } = await created(
      await add('link', { title: 'e-LfH', url: 'https://www.e-lfh.org.uk/programmes/' }),
    );
    expect(content).toEqual({ url: 'https://www.e-lfh.org.uk/programmes/' });
  });

  it('previews an article without saving it, safely, then adds it', async () => {
    const before = await counts();
    const markdown = '# Hand hygiene\n\nWash **often**.\n\n<script>alert(1)</script>';
    const preview = await add('article', { title: 'Hand hygiene', markdown, preview: 'yes' });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain('data-qa="article-preview"');
    expect(html).toContain('<strong>often</strong>');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(await counts()).toEqual(before);
    const { content } = await created(await add('article', { title: 'Hand hygiene', markdown }));
    expect(content).toEqual({ markdown });
  });

  it('makes an assessment with an empty question bank, edited on its questions page', async () => {
    const { id, content } = await created(await add('assessment', { title: 'IPC check', validityMonths: '12' }));
    expect(content).toMatchObject({ bank: { passMark: 80, questions: [] } });
    expect((await educator.page(`/catalogue/resources/${id}/edit`)).html).toContain(
      `href="/catalogue/resources/${id}/edit/questions"`,
    );
  });
});

describe('new versions of content', () => {
  it('adds a version of a link, and of a document; a version of another group is not found', async () => {
    const { id } = await created(await add('link', { title: 'Guide', url: 'https://www.example.org/v1' }));
    const bad = await educator.postForm(`/catalogue/resources/${id}/edit/versions/text`, {
      'version-url': 'mailto:x@example.org',
    });
    expect(bad.status).toBe(400);
    expect(fieldError(await bad.text(), 'version-url')).toContain('https://');
    const good = await educator.postForm(`/catalogue/resources/${id}/edit/versions/text`, {
      'version-url': 'https://www.example.org/v2',
      'version-notes': 'Moved',
    });
    expect(good.status).toBe(303);
    const { content } = await created(good);
    expect(content).toEqual({ url: 'https://www.example.org/v2' });
    const wrongGroup = await postMultipart(educator, `/catalogue/resources/${id}/edit/versions/file`, {}, [
      { field: 'version-file', name: 'p.pdf', content: PDF },
    ]);
    expect(wrongGroup.status).toBe(404);

    const document = await created(
      await add('document', { title: 'Leaflet' }, [{ field: 'file', name: 'l.pdf', content: PDF }]),
    );
    const v2 = await postMultipart(
      educator,
      `/catalogue/resources/${document.id}/edit/versions/file`,
      { 'version-notes': 'Reprint' },
      [{ field: 'version-file', name: 'l.pdf', content: PDF }],
    );
    expect(v2.status).toBe(303);
    expect(text((await educator.page(`/catalogue/resources/${document.id}/edit`)).html)).toContain('Reprint');
  });

  it('lets only the resource’s editors fetch its files', async () => {
    const { id, content } = await created(
      await add('document', { title: 'Private' }, [{ field: 'file', name: 'p.pdf', content: PDF }]),
    );
    const outsider = new HttpSession(t.url);
    const { email, password } = demoUser('org admin (community trust)');
    await outsider.signIn(email, password);
    expect((await outsider.get(`/catalogue/resources/${id}/edit/files/${String(content.fileId)}`)).status).toBe(404);
    const other = await created(
      await add('document', { title: 'Other' }, [{ field: 'file', name: 'o.pdf', content: PDF }]),
    );
    // A file of another resource is not served through this one.
    expect((await educator.get(`/catalogue/resources/${id}/edit/files/${String(other.content.fileId)}`)).status).toBe(
      404,
    );
  });
});
