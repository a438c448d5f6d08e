// The viewer: the page where a learner takes a resource that is not a package (video, audio, document, image, web
// link, article; assessments are drawn by quiz.pages.ts on the same address), marks it complete, and fetches the
// stored files it is made of.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signedIn } from '../../platform/auth/session.plugin.js';
import { field, formFields, queryText } from '../../platform/web.js';
import type { AppContext } from '../../server.js';
import { renderArticle } from './articles.markdown.js';
import { attemptPath, resourcePath } from './learn.paths.js';
import type { Taking } from './progress.service.js';
import { quizAttemptPage } from './quiz.pages.js';
import { RESOURCE_TYPE_LABELS } from './resources.fields.js';
import { sendStoredFile } from './viewer.files.js';
import {
  attemptFile,
  attemptFor,
  fileForPerson,
  markComplete,
  recordMediaProgress,
  viewContentOf,
  VIEWED_TYPES,
  type ViewContent,
} from './viewer.service.js';

/** The breadcrumbs above a learner's attempt: home, the catalogue, the resource's own page. */
function attemptBreadcrumbs(taking: Taking): { href: string; text: string }[] {
  return [
    { href: '/', text: 'Home' },
    { href: '/catalogue', text: 'Find learning' },
    { href: resourcePath(taking.resource.id), text: taking.resource.title },
  ];
}

const FILE_LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'video/mp4': 'MP4 video',
  'video/webm': 'WebM video',
  'video/ogg': 'Ogg video',
  'audio/mpeg': 'MP3 audio',
  'audio/mp4': 'M4A audio',
  'audio/ogg': 'Ogg audio',
  'audio/wav': 'WAV audio',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
};

/** A size in words, e.g. "2.4 MB", "310 KB". */
function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** The transcript as paragraphs (blank lines separate them). */
function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '');
}

function viewData(taking: Taking, content: ViewContent) {
  const base = `/learn/view/${taking.attempt.id}`;
  if (content.type === 'link') return { url: content.url };
  if (content.type === 'article') return { articleHtml: renderArticle(content.markdown) };
  const position = taking.attempt.progress.position;
  return {
    fileUrl: `${base}/file`,
    downloadUrl: `${base}/file?download=1`,
    captionsUrl: content.captions === undefined ? undefined : `${base}/captions.vtt`,
    contentType: content.file.content_type,
    fileLabel: `${FILE_LABELS[content.file.content_type] ?? 'File'}, ${sizeText(content.file.size_bytes)}`,
    transcript: paragraphs(content.transcript),
    altText: content.altText,
    startAt: typeof position === 'number' && position > 0 ? position : undefined,
  };
}

/** The viewer page, the completion button, media progress and the stored files. */
export async function viewerRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { db } = ctx;
  const publicUrl = () => ctx.config.publicUrl;

  const attemptId = (request: FastifyRequest) => (request.params as { attemptId: string }).attemptId;

  const viewerPage = async (request: FastifyRequest, reply: FastifyReply, taking: Taking) => {
    const content = await viewContentOf(db, taking);
    const { resource, attempt } = taking;
    return reply.page('viewer-resource.njk', {
      pageTitle: resource.title,
      resource,
      typeLabel: RESOURCE_TYPE_LABELS[resource.type],
      type: content.type,
      attempt,
      completed: attempt.status !== 'in_progress',
      action: `/learn/view/${attempt.id}`,
      ...viewData(taking, content),
      flash: queryText(request, 'completed') === '1' ? 'You have marked this as complete' : undefined,
      breadcrumbs: attemptBreadcrumbs(taking),
    });
  };

  app.get('/learn/view/:attemptId', async (request, reply) => {
    const principal = signedIn(request);
    const taking = await attemptFor(db, principal, attemptId(request));
    const { type } = taking.resource;
    if (type === 'assessment') return quizAttemptPage(db, publicUrl(), reply, principal, taking.attempt.id);
    // Packages have players of their own; an address from the wrong page still gets the learner there.
    if (!VIEWED_TYPES.includes(type)) return reply.redirect(attemptPath(type, taking.attempt.id), 303);
    return viewerPage(request, reply, taking);
  });

  // Completion is the learner's own word. There is no reliable signal that a person has read a PDF, looked at an
  // image, taken in an article or used what a link leads to (a page left open proves nothing, and an external site
  // tells us nothing), and a "watched to the end" event is as easy to produce by dragging the slider. Asking the
  // learner is honest about what the record means: they say they have done it, as they would on paper.
  app.post('/learn/view/:attemptId/complete', async (request, reply) => {
    const id = attemptId(request);
    await markComplete(db, publicUrl(), signedIn(request), id);
    return reply.redirect(`/learn/view/${id}?completed=1`, 303);
  });

  // From public/viewer/media-progress.js: how far the player has got, each quarter of the way.
  app.post('/learn/view/:attemptId/progress', async (request, reply) => {
    const fields = formFields(request);
    const percent = Number(field(fields, 'percent'));
    const position = Number(field(fields, 'position') || '0');
    await recordMediaProgress(db, publicUrl(), signedIn(request), attemptId(request), { percent, position });
    return reply.status(204).send();
  });

  app.get('/learn/view/:attemptId/file', async (request, reply) => {
    const file = await attemptFile(db, signedIn(request), attemptId(request), 'file');
    return sendStoredFile(db, request, reply, file, { download: queryText(request, 'download') === '1' });
  });

  app.get('/learn/view/:attemptId/captions.vtt', async (request, reply) => {
    const file = await attemptFile(db, signedIn(request), attemptId(request), 'captions');
    // A <track> only plays text/vtt, whatever type the upload was stored under.
    return sendStoredFile(db, request, reply, file, { contentType: 'text/vtt; charset=utf-8' });
  });

  // A stored file by its id, for editors' previews and anyone who may see a resource made of it.
  app.get('/files/:fileId', async (request, reply) => {
    const file = await fileForPerson(db, signedIn(request), (request.params as { fileId: string }).fileId);
    return sendStoredFile(db, request, reply, file, { download: queryText(request, 'download') === '1' });
  });
}
