import { describe, expect, it } from 'vitest';
import { checkWebVtt, srtToWebVtt, transcriptFromVtt } from './media.captions.js';

const VTT = `WEBVTT - Hand hygiene

NOTE Written by the Infection Prevention team

STYLE
::cue { color: yellow; }

1
00:00:01.000 --> 00:00:04.000
Wash your hands with soap
and water.

00:04.500 --> 00:07.250 align:start position:10%
Rub for <b>20 seconds</b>.

intro-end
01:00:00.000 --> 01:00:02.000
The end.
`;

describe('checking a WebVTT file', () => {
  it('accepts a file with a header, notes, identifiers, cue settings and hour-less timings', () => {
    expect(checkWebVtt(VTT)).toEqual({ ok: true, cues: 3 });
  });

  it('accepts a byte order mark and Windows or old Mac line endings', () => {
    expect(checkWebVtt(`\uFEFF${VTT.replace(/\n/g, '\r\n')}`)).toEqual({ ok: true, cues: 3 });
    expect(checkWebVtt(VTT.replace(/\n/g, '\r'))).toEqual({ ok: true, cues: 3 });
  });

  it('needs WEBVTT on the first line', () => {
    const message = { ok: false, error: 'The captions file must start with WEBVTT on its first line' };
    expect(checkWebVtt(VTT.replace('WEBVTT - Hand hygiene', '1'))).toEqual(message);
    expect(checkWebVtt(`\n${VTT}`)).toEqual(message);
    expect(checkWebVtt(VTT.replace('WEBVTT - Hand hygiene', 'WEBVTTX'))).toEqual(message);
    expect(checkWebVtt('')).toEqual(message);
  });

  it('needs at least one cue', () => {
    expect(checkWebVtt('WEBVTT\n\nNOTE nothing yet\n')).toEqual({ ok: false, error: 'The captions file has no cues' });
    expect(checkWebVtt('WEBVTT')).toEqual({ ok: false, error: 'The captions file has no cues' });
  });

  it('names the line of a malformed timing, and says when it looks like SubRip', () => {
    const srtLike = 'WEBVTT\n\n1\n00:00:01,000 --> 00:00:04,000\nHello\n';
    const result = checkWebVtt(srtLike);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^Line 4: "00:00:01,000 --> 00:00:04,000" is not a cue timing/);
    expect(result.error).toContain('not a comma');
    for (const timing of ['00:00:01.000 -> 00:00:04.000', '00:01.00 --> 00:04.000', '00:61.000 --> 00:62.000']) {
      const bad = checkWebVtt(`WEBVTT\n\n${timing}\nHello\n`);
      expect(bad.ok, timing).toBe(false);
      expect(bad.ok ? '' : bad.error, timing).toMatch(/^Line 3: .*cue timing like 00:01:02.500 --> 00:01:05.000/);
    }
  });

  it('needs each cue to end after it starts', () => {
    expect(checkWebVtt('WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nBackwards\n')).toEqual({
      ok: false,
      error: 'Line 3: the cue must end after it starts ("00:00:05.000 --> 00:00:04.000")',
    });
    expect(checkWebVtt('WEBVTT\n\n00:00:05.000 --> 00:00:05.000\nNo time at all\n').ok).toBe(false);
  });

  it('finds a cue the browser would miss: one in the header, or text cut off by a blank line inside a cue', () => {
    expect(checkWebVtt('WEBVTT\n00:00:01.000 --> 00:00:02.000\nToo soon\n')).toEqual({
      ok: false,
      error: 'Line 2: leave a blank line between WEBVTT and the first cue',
    });
    const split = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nFirst half\n\nsecond half\n';
    const result = checkWebVtt(split);
    expect(result.ok ? '' : result.error).toMatch(/^Line 6: expected a cue timing/);
  });
});

describe('converting SubRip to WebVTT', () => {
  const SRT = `1\r\n00:00:01,000 --> 00:00:04,000\r\nWash your hands with soap\r\nand <i>water</i>.\r\n\r\n2\r\n0:00:04,5 --> 0:00:07,250 X1:10 X2:90\r\n<font color="#ffff00">Rub</font> for 20 seconds & dry --> done\r\n\r\n`;

  it('writes the header, keeps cue numbers, and puts full stops in the timings', () => {
    expect(srtToWebVtt(SRT)).toBe(
      'WEBVTT\n\n' +
        '1\n00:00:01.000 --> 00:00:04.000\nWash your hands with soap\nand <i>water</i>.\n\n' +
        '2\n00:00:04.500 --> 00:00:07.250\nRub for 20 seconds &amp; dry -> done\n',
    );
  });

  it('gives a file that passes the WebVTT check', () => {
    expect(checkWebVtt(srtToWebVtt(`\uFEFF${SRT}`))).toEqual({ ok: true, cues: 2 });
  });

  it('gives a file that fails the check when the SubRip file had no cues', () => {
    expect(checkWebVtt(srtToWebVtt('This is not a subtitle file'))).toEqual({
      ok: false,
      error: 'The captions file has no cues',
    });
  });
});

describe('a transcript from captions', () => {
  it('joins cue text into a paragraph, without tags or entities', () => {
    const vtt =
      'WEBVTT\n\n00:01.000 --> 00:02.000\nRub for <b>20</b>\n\n00:02.000 --> 00:03.000\nseconds &amp; rinse.\n';
    expect(transcriptFromVtt(vtt)).toBe('Rub for 20 seconds & rinse.');
  });

  it('starts a new paragraph after a pause, and for each new speaker, named', () => {
    const vtt = [
      'WEBVTT',
      '',
      '00:00.000 --> 00:02.000',
      '<v Dr Patel>Good morning.',
      '',
      '00:02.000 --> 00:04.000',
      '<v Dr Patel>Let us begin.',
      '',
      '00:04.000 --> 00:05.000',
      '<v.nurse Sam Jones>Thank you.',
      '',
      '00:09.000 --> 00:10.000',
      'Later, after a pause.',
      '',
    ].join('\n');
    expect(transcriptFromVtt(vtt)).toBe(
      'Dr Patel: Good morning. Let us begin.\n\nSam Jones: Thank you.\n\nLater, after a pause.',
    );
  });

  it('says each line of roll-up captions once', () => {
    const vtt =
      'WEBVTT\n\n00:01.000 --> 00:02.000\nWash your hands\n\n00:02.000 --> 00:03.000\nWash your hands\nwith soap and water\n';
    expect(transcriptFromVtt(vtt)).toBe('Wash your hands with soap and water');
  });

  it('leaves out notes and styles, and gives nothing for a file with no cues', () => {
    expect(transcriptFromVtt(VTT)).toBe('Wash your hands with soap and water. Rub for 20 seconds.\n\nThe end.');
    expect(transcriptFromVtt('not captions at all')).toBe('');
  });
});
