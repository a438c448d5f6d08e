import { describe, expect, it } from 'vitest';
import { describeForOrganisation, describeStatement } from '../records/record.describe.js';
import { validateStatements } from '../records/statement.validate.js';
import { attainmentStatement, levelExtension, OBJECTIVE_TYPE, SATISFIED_VERB } from './evidence.statement.js';

const input = {
  id: '6d3c52b4-8f0e-4f43-9a57-2a3c3c1a0b11',
  timestamp: '2026-05-03T10:15:00.000Z',
  learner: { name: 'Amara Okafor', email: 'amara.okafor@rnb.example' },
  supervisor: { name: 'Tom Hughes', email: 'tom.hughes@rnb.example' },
  item: {
    uri: 'https://tessera.example/frameworks/uri/317ca7c4-1288-5b29-b0c4-607bd4b209b5',
    name: 'Infection Prevention and Control',
    statement: 'Uses standard precautions to stop infections spreading.',
  },
  framework: { uri: 'https://tessera.example/frameworks/uri/abc', title: 'Core Skills Training Framework' },
  level: { level: 2, label: 'Level 2' },
  publicUrl: 'https://tessera.example/',
};

describe('the statement written when a competency is confirmed', () => {
  it('is a valid xAPI statement: the learner satisfied the item, confirmed by the supervisor', () => {
    const [statement] = validateStatements([attainmentStatement(input)]);
    expect(statement).toMatchObject({
      actor: { mbox: 'mailto:amara.okafor@rnb.example', name: 'Amara Okafor' },
      verb: { id: SATISFIED_VERB },
      object: {
        id: input.item.uri,
        definition: {
          name: { 'en-GB': 'Infection Prevention and Control' },
          description: { 'en-GB': 'Uses standard precautions to stop infections spreading.' },
          type: OBJECTIVE_TYPE,
        },
      },
      result: {
        success: true,
        extensions: { 'https://tessera.example/xapi/extensions/competency-level': { level: 2, label: 'Level 2' } },
      },
      context: {
        instructor: { mbox: 'mailto:tom.hughes@rnb.example', name: 'Tom Hughes' },
        contextActivities: { grouping: [{ id: 'https://tessera.example/frameworks/uri/abc' }] },
      },
    });
    expect(levelExtension('https://tessera.example')).toBe('https://tessera.example/xapi/extensions/competency-level');
  });

  it('leaves out the level and the framework when there are none', () => {
    const statement = attainmentStatement({ ...input, level: null, framework: { uri: null, title: 'x' } });
    expect(statement.result).toEqual({ success: true });
    expect(statement.context?.contextActivities).toBeUndefined();
  });

  it('reads as plain English in the learner’s record and the organisation’s view, without “passed”', () => {
    const statement = attainmentStatement(input);
    expect(describeStatement(statement).text).toBe(
      'Was confirmed competent in Infection Prevention and Control — 3 May 2026',
    );
    expect(describeForOrganisation(statement).action).toBe(
      'Amara Okafor was confirmed competent in Infection Prevention and Control',
    );
  });
});
