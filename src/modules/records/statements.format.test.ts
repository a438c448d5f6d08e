import { describe, expect, it } from 'vitest';
import { activityIdsIn, formatStatement } from './statements.format.js';
import type { XapiActivity, XapiStatement, XapiSubStatement } from './xapi.types.js';

const COURSE = 'https://tessera.example/courses/mandatory';
const QUIZ = 'https://tessera.example/activities/quiz';
const CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/moveon';

const statement: XapiStatement = {
  id: '0e8f7a52-8d1d-4a53-9b0f-0c1b2d3e4f50',
  actor: { name: 'Ada', mbox: 'mailto:ada@example.com' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered', 'fr-FR': 'a répondu' } },
  object: {
    objectType: 'Activity',
    id: QUIZ,
    definition: {
      name: { 'en-US': 'Quiz', 'en-GB': 'Quiz (UK)', de: 'Prüfung' },
      description: { und: 'A quiz', fr: 'Un quiz' },
      interactionType: 'choice',
      choices: [{ id: 'a', description: { 'en-US': 'Yes', de: 'Ja' } }],
    },
  },
  result: { success: true },
  context: {
    instructor: { objectType: 'Agent', name: 'Grace', account: { homePage: 'https://tessera.example', name: 'g1' } },
    team: {
      objectType: 'Group',
      name: 'Ward 7',
      member: [
        { name: 'Ada', mbox: 'mailto:ada@example.com' },
        { objectType: 'Agent', name: 'Bob', mbox_sha1sum: 'b'.repeat(40) },
      ],
    },
    contextActivities: {
      parent: [{ id: COURSE, definition: { name: { 'en-GB': 'Mandatory training' } } }],
      category: [{ objectType: 'Activity', id: CATEGORY }],
    },
    platform: 'Tessera',
  },
  authority: {
    objectType: 'Agent',
    name: 'Tessera',
    account: { homePage: 'https://tessera.example', name: 'tessera' },
  },
  timestamp: '2024-05-01T10:00:00Z',
  stored: '2024-05-01T10:00:01Z',
  version: '1.0.3',
};

const sub: XapiSubStatement = {
  objectType: 'SubStatement',
  actor: { objectType: 'Group', name: 'Pair', member: [{ name: 'Ada', openid: 'https://id.example/ada' }] },
  verb: {
    id: 'http://example.com/verbs/will-attempt',
    display: { 'en-GB': 'will attempt', 'de-DE': 'wird versuchen' },
  },
  object: { id: QUIZ, definition: { name: { 'en-US': 'Quiz', de: 'Prüfung' }, type: 'http://example.com/quiz' } },
  context: { contextActivities: { grouping: [{ id: COURSE }] } },
  timestamp: '2024-06-01T09:00:00Z',
};
const planned: XapiStatement = {
  actor: statement.actor,
  verb: { id: 'http://example.com/verbs/planned' },
  object: sub,
};

const none = new Map<string, Record<string, unknown>>();

describe('formatStatement "exact"', () => {
  it('returns an equal copy, not the same object', () => {
    const out = formatStatement(statement, 'exact', none, 'de');
    expect(out).toEqual(statement);
    expect(out).not.toBe(statement);
  });
});

describe('formatStatement "ids"', () => {
  it('keeps only what identifies agents, groups, activities and verbs; the rest as it was', () => {
    const before = structuredClone(statement);
    const out = formatStatement(statement, 'ids', none, undefined);
    expect(out).toEqual({
      id: statement.id,
      actor: { objectType: 'Agent', mbox: 'mailto:ada@example.com' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/answered' },
      object: { objectType: 'Activity', id: QUIZ },
      result: { success: true },
      context: {
        instructor: { objectType: 'Agent', account: { homePage: 'https://tessera.example', name: 'g1' } },
        team: {
          objectType: 'Group',
          member: [
            { objectType: 'Agent', mbox: 'mailto:ada@example.com' },
            { objectType: 'Agent', mbox_sha1sum: 'b'.repeat(40) },
          ],
        },
        contextActivities: { parent: [{ id: COURSE }], category: [{ objectType: 'Activity', id: CATEGORY }] },
        platform: 'Tessera',
      },
      authority: { objectType: 'Agent', account: { homePage: 'https://tessera.example', name: 'tessera' } },
      timestamp: statement.timestamp,
      stored: statement.stored,
      version: '1.0.3',
    });
    expect(statement).toEqual(before);
  });

  it('reduces an identified group to its identifier and leaves StatementRefs alone', () => {
    const out = formatStatement(
      {
        actor: { objectType: 'Group', name: 'Ward', account: { homePage: 'https://h.example', name: 'w' }, member: [] },
        verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
        object: { objectType: 'StatementRef', id: statement.id ?? '' },
      },
      'ids',
      none,
      undefined,
    );
    expect(out.actor).toEqual({ objectType: 'Group', account: { homePage: 'https://h.example', name: 'w' } });
    expect(out.object).toEqual({ objectType: 'StatementRef', id: statement.id });
  });

  it('reduces the parts of a SubStatement the same way', () => {
    const out = formatStatement(planned, 'ids', none, undefined);
    expect(out.object).toEqual({
      objectType: 'SubStatement',
      actor: { objectType: 'Group', member: [{ objectType: 'Agent', openid: 'https://id.example/ada' }] },
      verb: { id: 'http://example.com/verbs/will-attempt' },
      object: { id: QUIZ },
      context: { contextActivities: { grouping: [{ id: COURSE }] } },
      timestamp: '2024-06-01T09:00:00Z',
    });
  });
});

describe('formatStatement "canonical"', () => {
  const canonical = new Map<string, Record<string, unknown>>([
    [COURSE, { name: { 'en-GB': 'Mandatory training (2024)', fr: 'Formation obligatoire' } }],
  ]);

  it('uses canonical definitions, one language per map, and leaves agents as they are', () => {
    const before = structuredClone(statement);
    const out = formatStatement(statement, 'canonical', canonical, 'fr;q=0.5, en-GB');
    expect(out.verb).toEqual({ id: statement.verb.id, display: { 'fr-FR': 'a répondu' } });
    expect(out.object).toEqual({
      objectType: 'Activity',
      id: QUIZ,
      definition: {
        name: { 'en-GB': 'Quiz (UK)' },
        description: { fr: 'Un quiz' },
        interactionType: 'choice',
        choices: [{ id: 'a', description: { 'en-US': 'Yes' } }],
      },
    });
    expect(out.context?.contextActivities?.parent).toEqual([
      { id: COURSE, definition: { name: { 'en-GB': 'Mandatory training (2024)' } } },
    ]);
    expect(out.context?.contextActivities?.category).toEqual([{ objectType: 'Activity', id: CATEGORY }]);
    expect(out.actor).toEqual(statement.actor);
    expect(out.context?.team).toEqual(statement.context?.team);
    expect(out.authority).toEqual(statement.authority);
    expect(statement).toEqual(before);
    expect(canonical.get(COURSE)).toEqual({
      name: { 'en-GB': 'Mandatory training (2024)', fr: 'Formation obligatoire' },
    });
  });

  it.each([
    ['de;q=0.9, en-GB;q=0.95', 'Quiz (UK)', 'A quiz'],
    ['en', 'Quiz', 'A quiz'],
    ['en-AU', 'Quiz', 'A quiz'],
    ['fr-CA, de;q=0.8', 'Prüfung', 'Un quiz'],
    ['ja, *;q=0.1', 'Quiz', 'A quiz'],
    ['en;q=0, de;q=0.2', 'Prüfung', 'A quiz'],
    ['ja', 'Quiz', 'A quiz'],
    [undefined, 'Quiz', 'A quiz'],
  ])('with Accept-Language %s picks name %s and description %s', (header, name, description) => {
    const out = formatStatement(statement, 'canonical', none, header).object as XapiActivity;
    expect(Object.values(out.definition?.name ?? {})).toEqual([name]);
    expect(Object.values(out.definition?.description ?? {})).toEqual([description]);
  });

  it('filters the activities and verb inside a SubStatement', () => {
    const out = formatStatement(planned, 'canonical', canonical, 'de-DE, en;q=0.5').object as XapiSubStatement;
    expect(out.verb.display).toEqual({ 'de-DE': 'wird versuchen' });
    expect(out.object).toEqual({ id: QUIZ, definition: { name: { de: 'Prüfung' }, type: 'http://example.com/quiz' } });
    expect(out.context?.contextActivities?.grouping).toEqual([
      { id: COURSE, definition: { name: { 'en-GB': 'Mandatory training (2024)' } } },
    ]);
    expect(out.actor).toEqual(sub.actor);
  });
});

describe('activityIdsIn', () => {
  it('lists each activity id once, including those inside a SubStatement', () => {
    expect(activityIdsIn(statement)).toEqual([QUIZ, COURSE, CATEGORY]);
    expect(activityIdsIn(planned)).toEqual([QUIZ, COURSE]);
    expect(activityIdsIn({ ...planned, object: { objectType: 'Agent', mbox: 'mailto:x@example.com' } })).toEqual([]);
  });
});
