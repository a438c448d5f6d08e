// Captions for video and audio resources: WebVTT is what an HTML <track> plays, so uploads are checked against the
// parts of the WebVTT format a browser relies on, SubRip (.srt) files are converted, and the cues give a fallback
// transcript.

/** One cue as read from a WebVTT file. */
interface Cue {
  /** 1-based line number of its timing line. */
  line: number;
  start: number;
  end: number;
  text: string[];
}

interface Parsed {
  cues: Cue[];
  /** The first thing wrong, for a person to fix; undefined when nothing is. */
  error?: string;
}

// [hh:]mm:ss.ttt. WebVTT asks for two or more hour digits but browsers play one, so one is accepted.
const TIMESTAMP = /^(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;
const TIMING = /^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t].*)?$/;

/** Seconds for a WebVTT timestamp, or undefined when it is not one. */
function seconds(stamp: string): number | undefined {
  const m = TIMESTAMP.exec(stamp);
  if (m === null) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

function linesOf(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

const isBlank = (line: string): boolean => line.trim() === '';

/** The blocks of a file (runs of non-blank lines) with the line number each starts on. */
function blocksOf(lines: string[]): { start: number; lines: string[] }[] {
  const blocks: { start: number; lines: string[] }[] = [];
  let current: { start: number; lines: string[] } | undefined;
  lines.forEach((line, i) => {
    if (isBlank(line)) current = undefined;
    else if (current === undefined) {
      current = { start: i + 1, lines: [line] };
      blocks.push(current);
    } else current.lines.push(line);
  });
  return blocks;
}

function timingProblem(timing: string, line: number): string {
  const hint = timing.includes(',')
    ? '; use a full stop before the milliseconds, not a comma (SubRip files can be converted)'
    : '';
  return `Line ${line}: "${timing.slice(0, 60)}" is not a cue timing like 00:01:02.500 --> 00:01:05.000${hint}`;
}

/** Reads a WebVTT file into cues, noting the first problem found but carrying on, so a transcript is still possible. */
function parseWebVtt(text: string): Parsed {
  const lines = linesOf(text);
  const first = lines[0] ?? '';
  const cues: Cue[] = [];
  let error: string | undefined;
  const problem = (message: string): void => {
    error ??= message;
  };
  if (!/^WEBVTT(?:[ \t].*)?$/.test(first)) problem('The captions file must start with WEBVTT on its first line');
  const blocks = blocksOf(lines);
  blocks.forEach((block, index) => {
    if (index === 0 && block.start === 1) {
      // Browsers read the whole first block as the header, so a cue written there is never shown.
      const cueInHeader = block.lines.findIndex((l) => l.includes('-->'));
      if (cueInHeader >= 0) problem(`Line ${cueInHeader + 1}: leave a blank line between WEBVTT and the first cue`);
      return;
    }
    const head = block.lines[0] ?? '';
    if (/^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(head)) return;
    const at = head.includes('-->') ? 0 : (block.lines[1] ?? '').includes('-->') ? 1 : -1;
    if (at < 0) {
      problem(
        `Line ${block.start}: expected a cue timing like 00:01:02.500 --> 00:01:05.000 (is there a blank line inside a cue?)`,
      );
      return;
    }
    const line = block.start + at;
    const timing = (block.lines[at] ?? '').trim();
    const m = TIMING.exec(timing);
    const start = seconds(m?.[1] ?? '');
    const end = seconds(m?.[2] ?? '');
    if (start === undefined || end === undefined) {
      problem(timingProblem(timing, line));
      return;
    }
    if (end <= start) problem(`Line ${line}: the cue must end after it starts ("${timing.slice(0, 60)}")`);
    else cues.push({ line, start, end, text: block.lines.slice(at + 1) });
  });
  if (cues.length === 0) problem('The captions file has no cues');
  return error === undefined ? { cues } : { cues, error };
}

/**
 * Checks that a captions file will play in an HTML <track>: it starts with WEBVTT (after an optional byte order
 * mark), and has at least one cue, each with a timing line `[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt` that ends after it
 * starts. Returns the number of cues, or the first problem with its line number.
 */
export function checkWebVtt(text: string): { ok: true; cues: number } | { ok: false; error: string } {
  const parsed = parseWebVtt(text);
  return parsed.error === undefined ? { ok: true, cues: parsed.cues.length } : { ok: false, error: parsed.error };
}

// SubRip timestamps as found in the wild: hours of 1 or more digits, a comma (sometimes a full stop) and 1–3 digits.
const SRT_TIMESTAMP = /^(\d+):(\d{1,2}):(\d{1,2})[,.](\d{1,3})$/;

function vttTimestamp(srt: string): string | undefined {
  const m = SRT_TIMESTAMP.exec(srt);
  if (m === null) return undefined;
  const [, h = '0', min = '0', s = '0', ms = '0'] = m;
  return `${h.padStart(2, '0')}:${min.padStart(2, '0')}:${s.padStart(2, '0')}.${ms.padEnd(3, '0')}`;
}

/** One line of SubRip text as WebVTT cue text: tags WebVTT lacks removed, stray '&' and '<' escaped. */
function vttText(line: string): string {
  return line
    .replace(/\{\\[^}]*\}/g, '') // ASS-style overrides such as {\an8}
    .replace(/<\/?font\b[^>]*>/gi, '')
    .replace(/&(?!(?:[a-z]+|#\d+|#x[0-9a-f]+);)/gi, '&amp;')
    .replace(/<(?!\/?[biu]>)/gi, '&lt;')
    .replace(/-->/g, '->');
}

/**
 * Converts a SubRip (.srt) file, which caption providers often supply, into WebVTT: a WEBVTT header, each cue's
 * number kept as its identifier, timings with a full stop before the milliseconds, and cue text made safe for
 * WebVTT. Blocks without a timing line are dropped; check the result with checkWebVtt before storing it.
 */
export function srtToWebVtt(srt: string): string {
  const cues: string[] = [];
  for (const block of blocksOf(linesOf(srt))) {
    const at = block.lines.findIndex((l) => l.includes('-->'));
    if (at < 0) continue;
    const [from = '', to = ''] = (block.lines[at] ?? '').split('-->').map((part) => part.trim().split(/\s+/)[0] ?? '');
    const start = vttTimestamp(from) ?? from;
    const end = vttTimestamp(to) ?? to;
    const id = block.lines.slice(0, at).join(' ').trim().replace(/-->/g, '->');
    const text = block.lines.slice(at + 1).map(vttText);
    cues.push([...(id === '' ? [] : [id]), `${start} --> ${end}`, ...text].join('\n'));
  }
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  lrm: '',
  rlm: '',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

// A pause this long between cues starts a new paragraph.
const PARAGRAPH_PAUSE = 2;

/**
 * A plain-text transcript from a WebVTT file, for when no transcript was supplied: the cue texts in order with tags
 * removed and entities decoded, lines repeated by roll-up captions said once, and a new paragraph (separated by a
 * blank line) when the speaker changes (`<v Name>`, then written "Name: ") or after a pause of 2 seconds or more.
 * Cues it cannot read are skipped; a file with none gives ''.
 */
export function transcriptFromVtt(text: string): string {
  const paragraphs: string[][] = [];
  let voice: string | undefined;
  let lastEnd = -Infinity;
  let lastLine = '';
  for (const cue of parseWebVtt(text).cues) {
    const raw = cue.text.join('\n');
    const speaker = /<v(?:\.[^\s>]*)?\s+([^>]+)>/.exec(raw)?.[1]?.trim();
    const lines = cue.text
      .map((l) =>
        decodeEntities(l.replace(/<[^>]*>/g, ''))
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .filter((l) => l !== '' && l !== lastLine);
    if (lines.length === 0) continue;
    const newSpeaker = speaker !== undefined && speaker !== voice;
    if (paragraphs.length === 0 || newSpeaker || cue.start - lastEnd >= PARAGRAPH_PAUSE) {
      paragraphs.push(newSpeaker ? [`${speaker}:`] : []);
    }
    if (speaker !== undefined) voice = speaker;
    paragraphs[paragraphs.length - 1]?.push(...lines);
    lastEnd = Math.max(lastEnd, cue.end);
    lastLine = lines[lines.length - 1] ?? lastLine;
  }
  return paragraphs.map((words) => words.join(' ')).join('\n\n');
}
