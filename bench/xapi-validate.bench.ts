// Statement validation speed: validateStatements over batches of 100 realistic statements (quiz answers, course
// completions with context, a SubStatement, a voiding statement), against the LRS ingest target of 20,000
// statements/s through HTTP, of which validation must be a small part. Prints numbers; asserts nothing.
import { performance } from 'node:perf_hooks';
import { validateStatements } from '../src/modules/records/statement.validate.js';

const BATCH = 100;
const SECONDS = 3;

function uuid(i: number): string {
  return `2a6f1b3c-5d4e-4f8a-9b0c-${i.toString(16).padStart(12, '0')}`;
}

function statement(i: number): Record<string, unknown> {
  const actor = { objectType: 'Agent', name: `Learner ${i}`, mbox: `mailto:learner${i}@example.nhs.uk` };
  const course = { id: 'https://learn.example.com/courses/sepsis', objectType: 'Activity' };
  switch (i % 4) {
    case 0: // a quiz answer
      return {
        id: uuid(i),
        actor,
        verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-GB': 'answered' } },
        object: {
          id: `https://learn.example.com/courses/sepsis/quiz/q${i % 10}`,
          definition: {
            name: { 'en-GB': `Question ${i % 10}` },
            type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
            interactionType: 'choice',
            correctResponsesPattern: ['a[,]c'],
            choices: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
          },
        },
        result: { success: i % 3 !== 0, response: 'a[,]c', duration: 'PT42S' },
        context: { registration: uuid(i + 1_000_000), contextActivities: { parent: [course] } },
        timestamp: '2024-03-05T14:30:00.123Z',
      };
    case 1: // a completion with score and a cmi5-like context
      return {
        id: uuid(i),
        actor,
        verb: {
          id: 'http://adlnet.gov/expapi/verbs/completed',
          display: { 'en-GB': 'completed', 'en-US': 'completed' },
        },
        object: {
          ...course,
          definition: { name: { 'en-GB': 'Sepsis awareness' }, type: 'http://adlnet.gov/expapi/activities/course' },
        },
        result: {
          score: { scaled: 0.85, raw: 17, min: 0, max: 20 },
          completion: true,
          success: true,
          duration: 'PT25M13.5S',
        },
        context: {
          registration: uuid(i + 1_000_000),
          contextActivities: {
            grouping: [{ id: 'https://learn.example.com/programmes/deteriorating-patient' }],
            category: [{ id: 'https://w3id.org/xapi/cmi5/context/categories/moveon' }],
          },
          platform: 'Tessera',
          language: 'en-GB',
          extensions: { 'https://w3id.org/xapi/cmi5/context/extensions/sessionid': `session-${i}` },
        },
        timestamp: '2024-03-05T14:55:13.500+00:00',
      };
    case 2: // a plan, as a SubStatement
      return {
        id: uuid(i),
        actor: { account: { homePage: 'https://esr.example.nhs.uk', name: `E${100000 + i}` } },
        verb: { id: 'http://example.com/verbs/planned', display: { en: 'planned' } },
        object: {
          objectType: 'SubStatement',
          actor,
          verb: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { en: 'will attend' } },
          object: {
            id: 'https://learn.example.com/events/resus-2024-04',
            definition: { name: { en: 'Resus training' } },
          },
        },
        timestamp: '2024-03-05T09:00:00Z',
      };
    default: // voiding an earlier statement
      return {
        id: uuid(i),
        actor: { objectType: 'Agent', name: 'LMS admin', mbox: 'mailto:admin@example.nhs.uk' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } },
        object: { objectType: 'StatementRef', id: uuid(i - 1) },
      };
  }
}

const batches = Array.from({ length: 50 }, (_, b) => Array.from({ length: BATCH }, (_, i) => statement(b * BATCH + i)));
const bytes = batches[0]?.reduce((sum, s) => sum + JSON.stringify(s).length, 0) ?? 0;

for (const batch of batches) validateStatements(batch); // warm up

let statements = 0;
const started = performance.now();
while (performance.now() - started < SECONDS * 1000) {
  for (const batch of batches) validateStatements(batch);
  statements += batches.length * BATCH;
}
const seconds = (performance.now() - started) / 1000;
const perSecond = statements / seconds;
console.log(
  `xAPI statement validation: batches of ${BATCH}, ${Math.round(bytes / BATCH)} bytes per statement on average`,
);
console.log(`  ${Math.round(perSecond).toLocaleString('en-GB')} statements/s`);
console.log(`  ${((1e6 * seconds) / statements).toFixed(2)} µs per statement (budget: well under 50 µs)`);
