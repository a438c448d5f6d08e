import { describe, expect, it } from 'vitest';
import {
  describeForOrganisation,
  describeStatement,
  durationInWords,
  lastSegment,
  londonDate,
  londonDateTime,
  londonDayStart,
  objectText,
  pickLanguage,
  scoreText,
} from './record.describe.js';
import type { XapiStatement } from './xapi.types.js';

function statement(overrides: Partial<XapiStatement> = {}): XapiStatement {
  return {
    id: '6a7f1c2e-6a1b-4c4e-9d6c-2f0f8f1b2c3d',
    actor: { objectType: 'Agent', name: 'Amara Okafor', mbox: 'mailto:amara@example.nhs.uk' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: {
      objectType: 'Activity',
      id: 'https://example.nhs.uk/courses/fire-safety-1',
      definition: { name: { 'en-GB': 'Fire Safety Level 1' } },
    },
    result: { score: { scaled: 0.92 }, success: true, completion: true, duration: 'PT34M' },
    timestamp: '2026-05-03T10:00:00Z',
    stored: '2026-05-03T10:00:01Z',
    ...overrides,
  };
}

describe('describeStatement', () => {
  it('reads as a sentence: verb, activity, score, success, duration and the day', () => {
    expect(describeStatement(statement()).text).toBe(
      'Completed Fire Safety Level 1 — scored 92% — passed — took 34 minutes — 3 May 2026',
    );
  });

  it('does not repeat what the verb says (passed, failed, completed)', () => {
    const passed = statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/passed' } });
    expect(describeStatement(passed).text).toBe(
      'Passed Fire Safety Level 1 — scored 92% — took 34 minutes — 3 May 2026',
    );
    const failed = statement({
      verb: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { en: 'failed' } },
      result: { score: { raw: 14, max: 20 }, success: false, completion: true },
    });
    expect(describeStatement(failed).text).toBe('Failed Fire Safety Level 1 — scored 14 out of 20 — 3 May 2026');
  });

  it('says when something was completed, not passed or not completed, where the verb does not', () => {
    const experienced = statement({
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-GB': 'experienced' } },
      result: { completion: true },
    });
    expect(describeStatement(experienced).text).toBe('Experienced Fire Safety Level 1 — completed — 3 May 2026');
    const attempted = statement({
      verb: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { 'en-GB': 'attempted' } },
      result: { success: false, completion: false },
    });
    expect(describeStatement(attempted).text).toBe(
      'Attempted Fire Safety Level 1 — did not pass — not completed — 3 May 2026',
    );
  });

  it('uses the activity id when there is no name, or the canonical name when one is known', () => {
    const bare = statement({ object: { id: 'https://example.nhs.uk/courses/ig' }, result: {} });
    expect(describeStatement(bare).text).toBe('Completed https://example.nhs.uk/courses/ig — 3 May 2026');
    const names = new Map([['https://example.nhs.uk/courses/ig', 'Information Governance']]);
    expect(describeStatement(bare, names).text).toBe('Completed Information Governance — 3 May 2026');
  });

  it('dates the learning in Europe/London, from the timestamp, else the stored time', () => {
    expect(describeStatement(statement({ timestamp: '2026-05-03T23:30:00Z' })).date).toBe('4 May 2026');
    expect(describeStatement(statement({ timestamp: '2026-01-31T23:30:00Z' })).date).toBe('31 January 2026');
    expect(describeStatement(statement({ timestamp: '2026-05-03T23:30:00+02:00' })).date).toBe('3 May 2026');
    const noTimestamp = statement();
    delete noTimestamp.timestamp;
    expect(describeStatement(noTimestamp).when).toBe('2026-05-03T10:00:01.000Z');
  });

  it('gives the parts a CSV needs', () => {
    expect(describeStatement(statement())).toMatchObject({
      verb: 'completed',
      object: 'Fire Safety Level 1',
      score: '92%',
      success: 'passed',
      completion: 'completed',
      duration: '34 minutes',
      date: '3 May 2026',
    });
  });
});

describe('describeForOrganisation', () => {
  it("names the learner by the statement's name, never by an email address", () => {
    expect(describeForOrganisation(statement()).text).toBe(
      'Amara Okafor completed Fire Safety Level 1 — scored 92% — passed — took 34 minutes — 3 May 2026',
    );
    const emailName = statement({ actor: { name: 'amara@example.nhs.uk', mbox: 'mailto:amara@example.nhs.uk' } });
    expect(describeForOrganisation(emailName).action).toBe('A learner completed Fire Safety Level 1');
    const noName = statement({ actor: { mbox: 'mailto:amara@example.nhs.uk' } });
    expect(describeForOrganisation(noName).action).toBe('A learner completed Fire Safety Level 1');
  });

  it('keeps a capitalised acronym verb as written', () => {
    const verb = { id: 'https://example.org/verbs/ai-assessed', display: { 'en-GB': 'AI-assessed' } };
    expect(describeForOrganisation(statement({ verb })).action).toBe('Amara Okafor AI-assessed Fire Safety Level 1');
    expect(describeForOrganisation(statement({ verb: { id: 'x:y', display: { en: 'Viewed' } } })).action).toBe(
      'Amara Okafor viewed Fire Safety Level 1',
    );
  });
});

describe('pickLanguage', () => {
  it('prefers en-GB, then en, then other English, then the first language', () => {
    expect(pickLanguage({ 'en-US': 'color', 'en-GB': 'colour', en: 'hue' })).toBe('colour');
    expect(pickLanguage({ fr: 'couleur', en: 'colour' })).toBe('colour');
    expect(pickLanguage({ fr: 'couleur', 'en-US': 'color' })).toBe('color');
    expect(pickLanguage({ cy: 'lliw', fr: 'couleur' })).toBe('lliw');
    expect(pickLanguage({ 'EN-gb': '  Fire   Safety ' })).toBe('Fire Safety');
    expect(pickLanguage({})).toBeUndefined();
    expect(pickLanguage(undefined)).toBeUndefined();
  });
});

describe('the verb without a display', () => {
  it('is the last path segment of its IRI', () => {
    expect(lastSegment('http://adlnet.gov/expapi/verbs/completed')).toBe('completed');
    expect(lastSegment('http://example.org/verbs/signed%20off/')).toBe('signed off');
    expect(lastSegment('http://example.org/vocab#experienced')).toBe('experienced');
    expect(lastSegment('urn:x-tessera:verb:reflected')).toBe('reflected');
    expect(lastSegment('http://example.org/bad%zz')).toBe('bad%zz');
    expect(describeStatement(statement({ verb: { id: 'http://id.tincanapi.com/verb/viewed' } })).action).toBe(
      'Viewed Fire Safety Level 1',
    );
  });
});

describe('objectText', () => {
  it('describes people, groups, statement references and sub-statements without email addresses', () => {
    expect(objectText({ objectType: 'Agent', name: 'Tom Hughes', mbox: 'mailto:tom@example.nhs.uk' })).toBe(
      'Tom Hughes',
    );
    expect(objectText({ objectType: 'Agent', mbox: 'mailto:tom@example.nhs.uk' })).toBe('a person');
    expect(objectText({ objectType: 'Group', member: [] })).toBe('a group');
    expect(objectText({ objectType: 'StatementRef', id: '6a7f1c2e-6a1b-4c4e-9d6c-2f0f8f1b2c3d' })).toBe(
      'an earlier record',
    );
    expect(
      objectText({
        objectType: 'SubStatement',
        actor: { mbox: 'mailto:a@example.nhs.uk' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/attended' },
        object: { id: 'https://example.nhs.uk/events/bls', definition: { name: { en: 'Basic Life Support' } } },
      }),
    ).toBe('“attended Basic Life Support”');
  });
});

describe('scoreText', () => {
  it('is a percentage from scaled, else raw out of max, else raw', () => {
    expect(scoreText({ scaled: 0.925, raw: 37, max: 40 })).toBe('93%');
    expect(scoreText({ scaled: 1 })).toBe('100%');
    expect(scoreText({ scaled: -0.5 })).toBe('-50%');
    expect(scoreText({ raw: 18, max: 20 })).toBe('18 out of 20');
    expect(scoreText({ raw: 7.25 })).toBe('7.25');
    expect(scoreText({ min: 0, max: 10 })).toBeUndefined();
    expect(scoreText(undefined)).toBeUndefined();
  });
});

describe('durationInWords', () => {
  it.each([
    ['PT34M', '34 minutes'],
    ['PT1H', '1 hour'],
    ['PT1H5M30S', '1 hour 5 minutes 30 seconds'],
    ['PT90M', '1 hour 30 minutes'],
    ['PT3600S', '1 hour'],
    ['PT1M0.6S', '1 minute 1 second'],
    ['PT1.5S', '1.5 seconds'],
    ['PT0,5H', '30 minutes'],
    ['PT0.01S', 'less than a second'],
    ['PT1M59.6S', '2 minutes'],
    ['PT0S', '0 seconds'],
    ['P2W', '2 weeks'],
    ['P1DT2H', '1 day 2 hours'],
    ['P1Y2M', '1 year 2 months'],
  ])('%s is %s', (iso, words) => {
    expect(durationInWords(iso)).toBe(words);
  });

  it('is undefined for anything that is not a duration', () => {
    expect(durationInWords('34 minutes')).toBeUndefined();
    expect(durationInWords(undefined)).toBeUndefined();
  });
});

describe('Europe/London dates', () => {
  it('starts a day at midnight London time, in winter and in summer', () => {
    expect(londonDayStart(2026, 1, 15).toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(londonDayStart(2026, 7, 15).toISOString()).toBe('2026-07-14T23:00:00.000Z');
    // The days the clocks change: 29 March and 25 October 2026.
    expect(londonDayStart(2026, 3, 29).toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(londonDayStart(2026, 3, 30).toISOString()).toBe('2026-03-29T23:00:00.000Z');
    expect(londonDayStart(2026, 10, 26).toISOString()).toBe('2026-10-26T00:00:00.000Z');
    // Day numbers past the month's end roll over, as the "to" date's next day needs.
    expect(londonDayStart(2026, 12, 32).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('formats instants as people and spreadsheets read them', () => {
    expect(londonDate(new Date('2026-07-14T23:30:00Z'))).toBe('15 July 2026');
    expect(londonDateTime(new Date('2026-07-14T23:30:00Z'))).toBe('2026-07-15 00:30');
    expect(londonDateTime(new Date('2026-01-05T09:05:00Z'))).toBe('2026-01-05 09:05');
  });
});
