import { describe, expect, it } from 'vitest';
import { mergeChanges, mergeDefinitions } from './activities.merge.js';

const canonical = {
  name: { 'en-GB': 'Fire safety', cy: 'Diogelwch tân' },
  type: 'http://adlnet.gov/expapi/activities/course',
  extensions: { 'https://tessera.example/ext/level': { value: 1 } },
  choices: [{ id: 'a', description: { 'en-GB': 'A' } }],
};

// mergeChanges answers "would the merge change the canonical definition?" without building the merge; these are
// the cases content sends, each checked against the merge itself.
const cases: [string, Record<string, unknown>, boolean][] = [
  ['the same definition again', structuredClone(canonical), false],
  ['a subset of the languages', { name: { cy: 'Diogelwch tân' } }, false],
  ['no definition properties at all', {}, false],
  ['a new language', { name: { fr: 'Sécurité incendie' } }, true],
  ['a changed wording', { name: { 'en-GB': 'Fire safety level 1' } }, true],
  ['a new property', { description: { 'en-GB': 'Annual' } }, true],
  ['a different type', { type: 'http://adlnet.gov/expapi/activities/module' }, true],
  ['a changed extension value', { extensions: { 'https://tessera.example/ext/level': { value: 2 } } }, true],
  ['a new extension', { extensions: { 'https://tessera.example/ext/hours': 2 } }, true],
  ['the same component list', { choices: [{ id: 'a', description: { 'en-GB': 'A' } }] }, false],
  ['a different component list', { choices: [{ id: 'b', description: { 'en-GB': 'B' } }] }, true],
  ['a language map replaced by a string', { name: 'Fire safety' }, true],
  ['a key named like an Object property', { constructor: 'x' }, true],
];

describe('mergeChanges', () => {
  it.each(cases)('%s', (_label, received, changes) => {
    expect(mergeChanges(canonical, received)).toBe(changes);
    expect(JSON.stringify(mergeDefinitions(canonical, received)) !== JSON.stringify(canonical)).toBe(changes);
  });
});
