import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  agentCases,
  languageMapCases,
  propertyCases,
  uuidCases,
  verbCases,
} from '../../../test/fixtures/xapi/invalid-actors-verbs.js';
import {
  activityCases,
  interactionCases,
  objectTypeCases,
  subStatementCases,
  voidingCases,
} from '../../../test/fixtures/xapi/invalid-objects.js';
import {
  attachmentCases,
  contextCases,
  durationCases,
  nullAndTypeCases,
  resultCases,
  timestampCases,
  versionCases,
} from '../../../test/fixtures/xapi/invalid-results-context.js';
import {
  baseStatement,
  mutated,
  rename,
  type InvalidCase,
  type JsonObject,
} from '../../../test/fixtures/xapi/statement-base.js';
import { validCases } from '../../../test/fixtures/xapi/valid-cases.js';
import { Invalid } from '../../platform/errors.js';
import { validateStatement, validateStatements } from './statement.validate.js';

function rejection(run: () => unknown): Invalid {
  try {
    run();
  } catch (error) {
    if (error instanceof Invalid) return error;
    throw error;
  }
  throw new Error('expected the input to be rejected');
}

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/xapi/${name}`, import.meta.url), 'utf8'));
}

function fixtureObject(name: string): JsonObject {
  const value = fixture(name);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${name} is not an object`);
  return value as JsonObject;
}

const invalidAreas: Record<string, InvalidCase[]> = {
  'unknown, misspelt and missing properties': propertyCases,
  'UUID formats': uuidCases,
  'Agents, Groups and the identifier count': agentCases,
  'Verbs and IRI formats': verbCases,
  'language maps': languageMapCases,
  'Activities and definitions': activityCases,
  'interaction types and components': interactionCases,
  'Agent, Group and StatementRef objects': objectTypeCases,
  'SubStatement limits': subStatementCases,
  voiding: voidingCases,
  'result and score': resultCases,
  durations: durationCases,
  'context rules': contextCases,
  timestamps: timestampCases,
  version: versionCases,
  attachments: attachmentCases,
  'nulls and wrong types': nullAndTypeCases,
};

describe('validateStatement rejects', () => {
  for (const [area, cases] of Object.entries(invalidAreas)) {
    describe(area, () => {
      it.each(cases)('$name', ({ mutate, path, ref }) => {
        const error = rejection(() => validateStatement(mutated(mutate)));
        const full = `statement.${path}`;
        expect(error.status).toBe(400);
        expect(Object.keys(error.details)).toContain(full);
        expect(error.message).toBe(`${full} ${error.details[full] ?? ''} (xAPI 1.0.3 ${ref})`);
      });
    });
  }

  it('anything but a JSON object as a statement', () => {
    for (const input of [null, 'statement', 42, [baseStatement()]]) {
      const error = rejection(() => validateStatement(input));
      expect(Object.keys(error.details)).toEqual(['statement']);
    }
  });

  it('a SubStatement object when SubStatements are not allowed', () => {
    const statement = fixtureObject('spec-2.4.4.3-substatement.json');
    expect(validateStatement(statement)).toEqual(statement);
    const error = rejection(() => validateStatement(statement, { allowSubStatement: false }));
    expect(error.details).toEqual({
      'statement.object.objectType': 'must not be "SubStatement": SubStatements cannot be nested',
    });
  });
});

describe('validateStatement reports', () => {
  it('every problem in the statement, with the first one as the message', () => {
    const statement = mutated((s) => {
      s.actor = { mbox: 'ann@example.com', openid: 'https://ann.example.org/' };
      s.result = { score: { scaled: 2 }, duration: 'PT' };
      s.timestamp = 'yesterday';
    });
    const error = rejection(() => validateStatement(statement));
    expect(error.details).toEqual({
      'statement.actor.mbox': 'must be a "mailto:" IRI with one email address',
      'statement.actor': 'must have exactly one identifier (mbox, mbox_sha1sum, openid or account), not 2',
      'statement.result.score.scaled': 'must be between -1 and 1',
      'statement.result.duration': 'must be an ISO 8601 duration, e.g. "PT1H30M5.2S"',
      'statement.timestamp': 'must be an ISO 8601 date and time, e.g. "2015-11-18T12:17:00.000Z"',
    });
    expect(error.message).toBe(
      'statement.actor.mbox must be a "mailto:" IRI with one email address (xAPI 1.0.3 Data 2.4.2.3)',
    );
  });

  it('the right spelling when a property name is in the wrong case', () => {
    const error = rejection(() => validateStatement(mutated(rename('context', 'Context'))));
    expect(error.details['statement.Context']).toBe('is not allowed: property names are case sensitive, use "context"');
  });

  it('the allowed values when an enumerated value is wrong', () => {
    const error = rejection(() => validateStatement(mutated((s) => (s.object = { objectType: 'Statement' }))));
    expect(error.message).toBe(
      'statement.object.objectType must be one of "Activity", "Agent", "Group", "StatementRef", "SubStatement" ' +
        '(exactly, case included) (xAPI 1.0.3 Data 2.4.4)',
    );
  });
});

describe('validateStatement accepts', () => {
  it.each(validCases)('$name', ({ mutate }) => {
    const statement = mutated(mutate);
    expect(validateStatement(statement)).toMatchObject({ actor: statement.actor, verb: statement.verb });
  });

  it('the base statement unchanged, returning the same object when there is nothing to normalise', () => {
    const statement = baseStatement();
    expect(validateStatement(statement)).toBe(statement);
    expect(statement).toEqual(baseStatement());
  });
});

describe('validateStatement normalises contextActivities', () => {
  it('wraps single Activity objects in arrays without changing the input', () => {
    const statement = mutated((s) => {
      s.context = {
        contextActivities: {
          parent: { id: 'https://learn.example.com/quiz' },
          grouping: [{ id: 'https://learn.example.com/course' }],
          other: { objectType: 'Activity', id: 'https://learn.example.com/ward' },
        },
      };
    });
    const input = structuredClone(statement);
    const result = validateStatement(statement);
    expect(result.context?.contextActivities).toEqual({
      parent: [{ id: 'https://learn.example.com/quiz' }],
      grouping: [{ id: 'https://learn.example.com/course' }],
      other: [{ objectType: 'Activity', id: 'https://learn.example.com/ward' }],
    });
    expect(statement).toEqual(input);
    expect({ ...result, context: undefined }).toEqual({ ...input, context: undefined });
  });

  it('inside a SubStatement too', () => {
    const statement = mutated((s) => {
      s.object = {
        objectType: 'SubStatement',
        actor: { mbox: 'mailto:ann@example.com' },
        verb: { id: 'http://example.com/verbs/planned' },
        object: { id: 'https://learn.example.com/course' },
        context: { contextActivities: { category: { id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5' } } },
      };
      delete s.context;
    });
    const result = validateStatement(statement);
    expect(result.object).toMatchObject({
      context: { contextActivities: { category: [{ id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5' }] } },
    });
  });
});

describe('the example statements printed in the specification validate', () => {
  const statements = [
    'spec-A-simple.json',
    'spec-A-completion.json',
    'spec-A-long.json',
    'spec-2.3.2-voiding.json',
    'spec-2.4-minimal.json',
    'spec-2.4.4.3-statement-ref.json',
    'spec-2.4.4.3-substatement.json',
    'spec-D-signed.json',
  ];
  it.each(statements)('%s', (name) => {
    const statement = fixtureObject(name);
    expect(validateStatement(statement)).toEqual(statement);
  });

  const minimal = { actor: { mbox: 'mailto:ann@example.com' }, verb: { id: 'http://example.com/verbs/saw' } };

  it('Appendix B: an Activity, an Agent, a Group and a SubStatement as the object', () => {
    const objects = fixture('spec-B-objects.json') as JsonObject[];
    expect(objects).toHaveLength(4);
    for (const object of objects) expect(validateStatement({ ...minimal, object })).toMatchObject({ object });
  });

  it('Appendix C: the ten interaction Activity definitions', () => {
    const definitions = fixture('spec-C-interaction-definitions.json') as JsonObject[];
    expect(definitions.map((d) => d.interactionType)).toHaveLength(10);
    for (const definition of definitions) {
      const object = { id: 'https://example.com/interaction', definition };
      expect(validateStatement({ ...minimal, object })).toMatchObject({ object });
    }
  });

  it('the account Agent, Verb, contextActivities and 3-legged OAuth authority examples', () => {
    const parts = fixtureObject('spec-parts.json');
    const statement = {
      actor: parts['account-agent (2.4.2.4)'],
      verb: parts['verb (2.4.3)'],
      object: { id: 'https://example.com/activity' },
      context: { contextActivities: parts['contextActivities (2.4.6.2)'] },
      authority: parts['authority (2.4.9)'],
    };
    expect(validateStatement(statement)).toEqual(statement);
  });
});

describe('validateStatements', () => {
  const batch = (n: number): JsonObject[] =>
    Array.from({ length: n }, (_, i) =>
      mutated((s) => (s.id = `2a6f1b3c-5d4e-4f8a-9b0c-${String(i).padStart(12, '0')}`)),
    );

  it('accepts a batch and returns the statements in order', () => {
    const statements = batch(5);
    expect(validateStatements(statements)).toEqual(statements);
  });

  it('accepts a single statement object as a batch of one', () => {
    const statement = baseStatement();
    expect(validateStatements(statement)).toEqual([statement]);
  });

  it('accepts an empty array', () => {
    expect(validateStatements([])).toEqual([]);
  });

  it('rejects the whole batch when one statement is invalid, naming it by index', () => {
    const statements = batch(5);
    statements[3] = mutated((s) => (s.result = { score: { scaled: -2 } }));
    const error = rejection(() => validateStatements(statements));
    expect(error.details).toEqual({ 'statements[3].result.score.scaled': 'must be between -1 and 1' });
    expect(error.message).toBe('statements[3].result.score.scaled must be between -1 and 1 (xAPI 1.0.3 Data 2.4.5.1)');
  });

  it('collects problems from every statement in the batch', () => {
    const statements = batch(3);
    delete statements[0]?.verb;
    statements[2] = mutated((s) => (s.version = '2.0.0'));
    const error = rejection(() => validateStatements(statements));
    expect(Object.keys(error.details)).toEqual(['statements[0].verb', 'statements[2].version']);
    expect(error.message).toBe('statements[0].verb is required (xAPI 1.0.3 Data 2.2)');
  });

  it('rejects two statements with the same id, whatever the case of the UUID', () => {
    const statements = batch(3);
    const third = statements[2];
    if (third === undefined) throw new Error('batch too short');
    third.id = '2A6F1B3C-5D4E-4F8A-9B0C-000000000000'; // statements[0], upper-cased
    const error = rejection(() => validateStatements(statements));
    expect(error.details).toEqual({ 'statements[2].id': 'must differ from the id of statements[0]' });
    expect(error.message).toContain('(xAPI 1.0.3 Communication 2.1.2)');
  });

  it('names a single invalid statement "statement"', () => {
    const error = rejection(() => validateStatements(mutated((s) => (s.actor = {}))));
    expect(Object.keys(error.details)).toEqual(['statement.actor']);
  });

  it('rejects a body that is neither a statement nor an array', () => {
    for (const input of [null, 'statements', 7, true]) {
      const error = rejection(() => validateStatements(input));
      expect(error.details).toEqual({ statements: 'must be a Statement object or an array of Statements' });
    }
  });

  it('rejects an array holding something that is not a statement', () => {
    const error = rejection(() => validateStatements([baseStatement(), 'x', null]));
    expect(error.details).toEqual({
      'statements[1]': 'must be a Statement object',
      'statements[2]': 'must not be null',
    });
  });

  it('lists at most 100 problems for a very broken batch', () => {
    const statements = Array.from({ length: 150 }, () => ({}));
    const error = rejection(() => validateStatements(statements));
    expect(Object.keys(error.details)).toHaveLength(100);
    expect(error.message).toBe('statements[0].actor is required (xAPI 1.0.3 Data 2.2)');
  });
});
