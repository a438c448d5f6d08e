import { describe, expect, it } from 'vitest';
import { validateStatements } from '../records/statement.validate.js';
import {
  abandonedStatement,
  auActivityId,
  auLocation,
  blockActivityId,
  CMI5_IRI,
  CMI5_VERBS,
  launchData,
  launchedStatement,
  launchUrlWithParameters,
  learnerAgent,
  satisfiedStatement,
  type LaunchFacts,
} from './cmi5.statements.js';
import type { Cmi5Au } from './packages/package.types.js';

const PUBLIC_URL = 'https://tessera.test';
const RESOURCE = '7d3b9f0e-2c4a-4f1b-8e6d-5a9c0b1d2e3f';
const REG = '5b1f3f8e-7a2d-4c39-9d2a-6f1e7c3b9a10';
const SESSION = '0d4a3c2b-1e9f-4a8b-9c7d-6e5f4a3b2c1d';
const AU: Cmi5Au = {
  id: 'https://example.org/course/au/check',
  title: 'Knowledge check',
  description: 'A check.',
  url: 'content/check.html?lang=en',
  launchMethod: 'OwnWindow',
  moveOn: 'CompletedAndPassed',
  masteryScore: 0.8,
  launchParameters: 'level=2',
  entitlementKey: 'abc-123',
};
const PERSON = '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const actor = learnerAgent({ name: 'Amara Okafor', personId: PERSON }, PUBLIC_URL);
const written = { id: '2f1c9a8e-4b3d-4e7f-9a6c-1d2e3f4a5b6c', timestamp: '2026-01-05T10:00:00.000Z', actor };

function facts(): LaunchFacts {
  return {
    publicUrl: PUBLIC_URL,
    resourceId: RESOURCE,
    au: AU,
    sessionId: SESSION,
    registration: REG,
    launchMode: 'Normal',
    location: auLocation(PUBLIC_URL, 'pkg', AU.url),
    returnUrl: `${PUBLIC_URL}/learn/cmi5/attempt`,
  };
}

describe('activity ids', () => {
  it('are Tessera IRIs, stable for an AU and never the publisher id', () => {
    const id = auActivityId(PUBLIC_URL, RESOURCE, AU.id);
    expect(id).toBe(auActivityId(PUBLIC_URL, RESOURCE, AU.id));
    expect(id.startsWith(`${PUBLIC_URL}/catalogue/resources/${RESOURCE}/aus/`)).toBe(true);
    expect(id).not.toBe(AU.id);
    expect(auActivityId(PUBLIC_URL, RESOURCE, 'https://example.org/course/au/other')).not.toBe(id);
    expect(blockActivityId(PUBLIC_URL, RESOURCE, 'https://example.org/b')).toContain('/blocks/');
  });
});

describe("the learner's actor", () => {
  it("is an Agent with an account on Tessera's home page named by person id, and the name to show (cmi5 9.2)", () => {
    expect(learnerAgent({ name: 'Amara Okafor', personId: PERSON.toUpperCase() }, `${PUBLIC_URL}/`)).toEqual({
      objectType: 'Agent',
      name: 'Amara Okafor',
      account: { homePage: PUBLIC_URL, name: PERSON },
    });
  });
});

describe('the launch URL', () => {
  it('resolves a package AU against the package content and keeps an absolute one', () => {
    expect(auLocation(PUBLIC_URL, 'pkg', 'content/check.html?lang=en')).toBe(
      `${PUBLIC_URL}/content/packages/pkg/content/check.html?lang=en`,
    );
    expect(auLocation(PUBLIC_URL, 'pkg', 'https://au.example.org/x.html')).toBe('https://au.example.org/x.html');
  });

  it('adds the five launch parameters, URL-encoded, to the query the AU already has', () => {
    const url = new URL(
      launchUrlWithParameters(facts().location, {
        endpoint: `${PUBLIC_URL}/xapi/`,
        fetch: `${PUBLIC_URL}/api/v1/cmi5/fetch/t`,
        actor,
        registration: REG,
        activityId: 'https://tessera.test/a',
      }),
    );
    expect(url.searchParams.get('lang')).toBe('en');
    expect(JSON.parse(url.searchParams.get('actor') ?? '')).toEqual(actor);
    expect(url.href).not.toContain('mbox');
    expect(url.searchParams.get('endpoint')).toBe(`${PUBLIC_URL}/xapi/`);
    expect(url.search).not.toContain('{');
  });
});

describe('LMS.LaunchData', () => {
  it('carries the context template and everything the course structure sets', () => {
    expect(launchData(facts())).toEqual({
      contextTemplate: {
        contextActivities: {
          grouping: [
            { objectType: 'Activity', id: AU.id },
            { objectType: 'Activity', id: `${PUBLIC_URL}/catalogue/resources/${RESOURCE}` },
          ],
        },
        extensions: { [CMI5_IRI.sessionId]: SESSION },
      },
      launchMode: 'Normal',
      launchMethod: 'OwnWindow',
      moveOn: 'CompletedAndPassed',
      returnURL: `${PUBLIC_URL}/learn/cmi5/attempt`,
      launchParameters: 'level=2',
      masteryScore: 0.8,
      entitlementKey: { courseStructure: 'abc-123' },
    });
  });
});

describe('the LMS statements', () => {
  it('"launched" is cmi5 defined, with the launch facts in its context, and valid xAPI', () => {
    const [statement] = validateStatements([launchedStatement(facts(), written)]);
    expect(statement?.verb.id).toBe(CMI5_VERBS.launched);
    expect(statement?.actor).toEqual({
      objectType: 'Agent',
      name: 'Amara Okafor',
      account: { homePage: PUBLIC_URL, name: PERSON },
    });
    expect(statement?.object).toMatchObject({ id: auActivityId(PUBLIC_URL, RESOURCE, AU.id) });
    expect(statement?.context?.registration).toBe(REG);
    expect(statement?.context?.contextActivities?.category?.map((a) => a.id)).toEqual([CMI5_IRI.category]);
    expect(statement?.context?.contextActivities?.grouping?.map((a) => a.id)).toContain(AU.id);
    expect(statement?.context?.extensions).toEqual({
      [CMI5_IRI.sessionId]: SESSION,
      [CMI5_IRI.launchMode]: 'Normal',
      [CMI5_IRI.launchUrl]: `${PUBLIC_URL}/content/packages/pkg/content/check.html?lang=en`,
      [CMI5_IRI.moveOn]: 'CompletedAndPassed',
      [CMI5_IRI.launchParameters]: 'level=2',
      [CMI5_IRI.masteryScore]: 0.8,
    });
  });

  it('"satisfied" names a block or the course by Tessera id with the cmi5 type', () => {
    const input = { publicUrl: PUBLIC_URL, resourceId: RESOURCE, registration: REG, sessionId: SESSION };
    const block = satisfiedStatement(
      { ...input, node: { kind: 'block', id: 'https://example.org/b', title: 'Block' } },
      written,
    );
    const course = satisfiedStatement(
      { ...input, node: { kind: 'course', id: 'https://example.org/c', title: 'Course' } },
      { ...written, id: '3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d' },
    );
    validateStatements([block, course]);
    expect(block.verb.id).toBe(CMI5_VERBS.satisfied);
    expect(block.object).toMatchObject({
      id: blockActivityId(PUBLIC_URL, RESOURCE, 'https://example.org/b'),
      definition: { type: CMI5_IRI.blockType },
    });
    expect(course.object).toMatchObject({
      id: `${PUBLIC_URL}/catalogue/resources/${RESOURCE}`,
      definition: { type: CMI5_IRI.courseType },
    });
    expect(course.context?.extensions?.[CMI5_IRI.sessionId]).toBe(SESSION);
    expect(block.context?.contextActivities?.grouping?.map((a) => a.id)).toEqual([
      'https://example.org/b',
      `${PUBLIC_URL}/catalogue/resources/${RESOURCE}`,
    ]);
  });

  it('"abandoned" has the session\'s duration', () => {
    const statement = abandonedStatement(
      { publicUrl: PUBLIC_URL, resourceId: RESOURCE, au: AU, registration: REG, sessionId: SESSION, seconds: 95.4 },
      written,
    );
    validateStatements([statement]);
    expect(statement.result?.duration).toBe('PT95S');
  });
});
