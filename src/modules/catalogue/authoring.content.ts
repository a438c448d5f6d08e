// Checking the content an author gives for each type of resource other than packages: a web link's address, an
// article's Markdown, a media file with its captions and transcript, a document, an image with its alternative text,
// and the empty question bank an assessment starts with. Pure: the service stores what passes.
import type { ResourceType } from './catalogue.tables.js';
import { checkWebVtt, srtToWebVtt, transcriptFromVtt } from './media.captions.js';
import type { QuizBank } from './quiz.types.js';
import { checkContentFile, formatBytes, UPLOAD_LIMITS, type ContentCategory, type SniffedFile } from './uploads.js';

export const MAX_URL_LENGTH = 2000;
export const MAX_ARTICLE_LENGTH = 100_000;
export const MAX_TRANSCRIPT_LENGTH = 100_000;
export const MAX_ALT_TEXT_LENGTH = 1000;

/** The types made from a form rather than a package. */
export type ContentType = Exclude<ResourceType, 'scorm12' | 'scorm2004' | 'cmi5'>;

export const CONTENT_TYPES: readonly ContentType[] = [
  'video',
  'audio',
  'document',
  'image',
  'link',
  'article',
  'assessment',
];

/** The types whose content is an uploaded file, and the category of file each takes. */
export const FILE_CATEGORY: Partial<Record<ContentType, ContentCategory>> = {
  video: 'video',
  audio: 'audio',
  document: 'document',
  image: 'image',
};

/** What an author sent for the content; each type reads its own fields. */
export interface ContentInput {
  url?: string;
  markdown?: string;
  file?: Uint8Array;
  captions?: Uint8Array;
  transcript?: string;
  /** A video with no sound track: it needs a description (the transcript) rather than captions. */
  noAudio?: boolean;
  altText?: string;
}

/** Content that passed its checks, with any files still to be stored. */
export interface CheckedContent {
  /** The version's content, without the ids of files yet to be stored. */
  content: Record<string, unknown>;
  file?: { bytes: Uint8Array; sniffed: SniffedFile };
  /** WebVTT captions to store (SubRip is converted). */
  captions?: string;
}

/** The question bank a new assessment starts with: no questions yet, which the question editor adds. */
export function emptyQuestionBank(): QuizBank {
  return { passMark: 80, attemptsAllowed: null, shuffle: false, showFeedback: 'after-each-attempt', questions: [] };
}

/** A web link's address: http or https only, with a host, no user name or password in it. */
export function checkLinkUrl(text: string): { url: string } | { error: string } {
  const value = text.trim();
  if (value === '') return { error: 'Enter the web address, like https://www.example.org/course' };
  if (value.length > MAX_URL_LENGTH) return { error: `The web address must be ${MAX_URL_LENGTH} characters or fewer` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { error: 'Enter a web address that starts with https:// or http://' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { error: 'Enter a web address that starts with https:// or http://' };
  }
  if (url.hostname === '') return { error: 'Enter a full web address, with the site’s name' };
  if (url.username !== '' || url.password !== '') {
    return { error: 'Enter the web address without a user name or password in it' };
  }
  return { url: url.href };
}

function decodeText(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

/** Captions as WebVTT: a WebVTT file checked, or a SubRip file converted and checked; or what is wrong. */
export function readCaptions(bytes: Uint8Array): { vtt: string } | { error: string } {
  if (bytes.byteLength > UPLOAD_LIMITS.captions) {
    return { error: `The captions file must be ${formatBytes(UPLOAD_LIMITS.captions)} or smaller` };
  }
  const text = decodeText(bytes);
  if (text === undefined)
    return { error: 'The captions file must be text (UTF-8): a WebVTT (.vtt) or SubRip (.srt) file' };
  const vtt = /^WEBVTT(?:[ \t\r\n]|$)/.test(text) ? text : text.includes('-->') ? srtToWebVtt(text) : undefined;
  if (vtt === undefined) return { error: 'The captions file must be a WebVTT (.vtt) or SubRip (.srt) file' };
  const checked = checkWebVtt(vtt);
  return checked.ok ? { vtt } : { error: `The captions file has a problem: ${checked.error}` };
}

function checkMedia(type: 'video' | 'audio', input: ContentInput, errors: Record<string, string>): CheckedContent {
  const checked: CheckedContent = { content: {} };
  if (input.file === undefined) errors.file = `Select the ${type} file`;
  else {
    const file = checkContentFile(input.file, type);
    if ('error' in file) errors.file = file.error;
    else checked.file = { bytes: input.file, sniffed: file.file };
  }
  if (input.captions !== undefined) {
    const captions = readCaptions(input.captions);
    if ('error' in captions) errors.captions = captions.error;
    else checked.captions = captions.vtt;
  }
  let transcript = (input.transcript ?? '').trim();
  if (transcript.length > MAX_TRANSCRIPT_LENGTH) {
    errors.transcript = `The transcript must be ${MAX_TRANSCRIPT_LENGTH.toLocaleString('en-GB')} characters or fewer`;
  }
  // WCAG 2.2: a video with sound needs captions (1.2.2); a silent video or audio needs a text alternative (1.2.1).
  if (type === 'video' && input.captions === undefined) {
    if (input.noAudio !== true) {
      errors.captions =
        'Add a captions file (WebVTT or SRT): a video with sound needs captions. If it has no sound, say so and describe it in the transcript';
    } else if (transcript === '') {
      errors.transcript = 'Describe what the video shows: a video without sound needs a text description';
    }
  }
  if (type === 'audio' && input.captions === undefined && transcript === '') {
    errors.transcript = 'Add a transcript, or a captions file to make one from';
  }
  // Learners always get a transcript: when none is given, it is made from the captions.
  if (transcript === '' && checked.captions !== undefined) transcript = transcriptFromVtt(checked.captions);
  if (transcript !== '') checked.content.transcript = transcript;
  return checked;
}

/**
 * Checks the content for a resource of the type. Returns what to store, or errors keyed by the form's field names
 * (url, markdown, file, captions, transcript, altText) in words an author can act on.
 */
export function checkContent(
  type: ContentType,
  input: ContentInput,
): { checked: CheckedContent } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let checked: CheckedContent = { content: {} };
  if (type === 'link') {
    const link = checkLinkUrl(input.url ?? '');
    if ('error' in link) errors.url = link.error;
    else checked.content = { url: link.url };
  } else if (type === 'article') {
    const markdown = (input.markdown ?? '').replace(/\r\n/g, '\n');
    if (markdown.trim() === '') errors.markdown = 'Write the article';
    else if (markdown.length > MAX_ARTICLE_LENGTH) {
      errors.markdown = `The article must be ${MAX_ARTICLE_LENGTH.toLocaleString('en-GB')} characters or fewer`;
    } else checked.content = { markdown };
  } else if (type === 'video' || type === 'audio') {
    checked = checkMedia(type, input, errors);
  } else if (type === 'document' || type === 'image') {
    if (input.file === undefined) errors.file = type === 'image' ? 'Select the image' : 'Select the PDF';
    else {
      const file = checkContentFile(input.file, type);
      if ('error' in file) errors.file = file.error;
      else checked.file = { bytes: input.file, sniffed: file.file };
    }
    if (type === 'image') {
      const altText = (input.altText ?? '').trim();
      if (altText === '') errors.altText = 'Describe the image for people who cannot see it';
      else if (altText.length > MAX_ALT_TEXT_LENGTH) {
        errors.altText = `The description must be ${MAX_ALT_TEXT_LENGTH} characters or fewer`;
      } else checked.content = { altText };
    }
  } else {
    checked.content = { bank: emptyQuestionBank() };
  }
  return Object.keys(errors).length > 0 ? { errors } : { checked };
}
