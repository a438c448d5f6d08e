import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../platform/access.js';
import { loadPrincipal } from '../identity/identity.service.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { definitionProblems, pagesOf, readPage, resultsOf } from './assessments.engine.js';
import { digitalSkillsTool } from './assessments.builtin.js';
import {
  answerPage,
  assessmentHistory,
  discardResponse,
  gapsAgainst,
  openResponse,
  personalTools,
  responseForPrincipal,
  submitAssessment,
} from './assessments.service.js';
import { seedBuiltinTools } from './assessments.seed.js';
import { builtinIdentifier } from './frameworks.seed.js';

const definition = digitalSkillsTool.definition;
const item = (key: string) => builtinIdentifier('digital-capability', key);

describe('the digital skills self-assessment definition', () => {
  it('is valid, one page per domain, every scale question bound to a capability of the framework', () => {
    expect(definitionProblems(definition)).toEqual([]);
    const pages = pagesOf(definition, 'group', {});
    expect(pages.map((p) => p.group.title)).toEqual(digitalSkillsTool.framework.items.map((d) => d.statement));
    const capabilities = digitalSkillsTool.framework.items.flatMap((d) => (d.children ?? []).map((c) => item(c.key)));
    const bound = definition.groups.flatMap((g) =>
      g.questions.flatMap((q) => (q.kind === 'scale' ? [q.itemIdentifier] : [])),
    );
    expect(bound.sort()).toEqual(capabilities.sort());
    expect(definition.scale.map((p) => p.value)).toEqual([0, 1, 2, 3, 4]);
  });

  it('pages one question at a time when a tool asks for it, skipping hidden questions', () => {
    const shown = pagesOf(definition, 'group', {}).flatMap((p) => p.questions.map((q) => q.key));
    const single = pagesOf(definition, 'question', {});
    expect(single.map((p) => p.questions.map((q) => q.key))).toEqual(shown.map((key) => [key]));
    expect(pagesOf(definition, 'question', { 'uses-clinical-systems': 'yes' })).toHaveLength(single.length + 2);
  });

  it('asks about clinical systems only of people who use them', () => {
    const technical = (answers: Record<string, string | number>) =>
      pagesOf(definition, 'group', answers)
        .find((p) => p.group.key === 'domain-4')
        ?.questions.map((q) => q.key);
    expect(technical({})).not.toContain('dcf-4.1');
    expect(technical({ 'uses-clinical-systems': 'no' })).not.toContain('dcf-4.1');
    expect(technical({ 'uses-clinical-systems': 'yes' })).toEqual(expect.arrayContaining(['dcf-4.1', 'dcf-4.5']));
  });

  it('reads a page: required answers, allowed values, optional reflections and their length', () => {
    const page = pagesOf(definition, 'group', {})[0];
    if (page === undefined) throw new Error('no page');
    const [first, second] = page.questions;
    const reflection = page.questions.find((q) => q.kind === 'text');
    const read = readPage(definition, page, {
      [first?.key ?? '']: '3',
      [second?.key ?? '']: '9',
      [reflection?.key ?? '']: 'x'.repeat(2001),
    });
    expect(read.answers).toEqual({ [first?.key ?? '']: 3 });
    expect(read.errors[second?.key ?? '']).toBe('Select one of the answers given');
    expect(read.errors[reflection?.key ?? '']).toBe('Your answer must be 2000 characters or fewer');
    const missing = page.questions.filter((q) => q.kind === 'scale' && q.key !== first?.key && q.key !== second?.key);
    for (const q of missing) expect(read.errors[q.key]).toBe('Select an answer');
  });

  it('gives each domain the mean of its answers, and each capability its level', () => {
    const answers: Record<string, number | string> = { 'uses-clinical-systems': 'no' };
    for (const page of pagesOf(definition, 'group', answers)) {
      for (const q of page.questions) if (q.kind === 'scale') answers[q.key] = q.key.startsWith('dcf-1.') ? 1 : 3;
    }
    answers['dcf-1.1'] = 4;
    const results = resultsOf(definition, answers);
    const first = results.groups[0];
    const count = definition.groups[0]?.questions.filter((q) => q.kind === 'scale').length ?? 0;
    expect(first?.level).toBe(Math.round(((4 + (count - 1)) / count) * 10) / 10);
    expect(results.groups[1]?.level).toBe(3);
    expect(results.items[item('1.1')]).toBe(4);
    expect(results.items[item('4.1')]).toBeUndefined();
  });

  it('finds gaps against required levels', () => {
    const results = { groups: [], items: { [item('1.1')]: 2, [item('1.2')]: 3 } };
    expect(
      gapsAgainst(results, [
        { itemIdentifier: item('1.1'), level: 3 },
        { itemIdentifier: item('1.2'), level: 3 },
        { itemIdentifier: item('2.1'), level: null },
      ]),
    ).toEqual([
      { itemIdentifier: item('1.1'), required: 3, assessed: 2 },
      { itemIdentifier: item('2.1'), required: 1, assessed: null },
    ]);
  });
});

describe('taking a self-assessment', () => {
  let app: TestApp;
  let learner: Principal;
  let other: Principal;

  async function principalOf(email: string): Promise<Principal> {
    const person = await app.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const principal = await loadPrincipal(app.db, person.id);
    if (principal === undefined) throw new Error(email);
    return principal;
  }

  beforeAll(async () => {
    app = await startTestApp();
    learner = await principalOf(demoUser('learner').email);
    other = await principalOf(demoUser('supervisor').email);
  });
  afterAll(async () => {
    await app.close();
  });

  it('is seeded once and offered to every learner', async () => {
    expect(await seedBuiltinTools(app.db)).toEqual([]);
    expect((await personalTools(app.db, learner)).map((t) => t.key)).toContain('digital-skills');
  });

  it('saves page by page, resumes where it was, and submits with results over time', async () => {
    const response = await openResponse(app.db, learner, 'digital-skills');
    expect((await openResponse(app.db, learner, 'digital-skills')).id).toBe(response.id);

    const { pages } = await responseForPrincipal(app.db, learner, response.id);
    const incomplete = await answerPage(app.db, learner, response.id, 0, {});
    expect('errors' in incomplete && Object.keys(incomplete.errors).length).toBeGreaterThan(0);

    let index: number | null = 0;
    let level = 1;
    while (index !== null) {
      const current = (await responseForPrincipal(app.db, learner, response.id)).pages[index];
      if (current === undefined) throw new Error('page');
      const form: Record<string, string> = {};
      for (const q of current.questions) {
        if (q.kind === 'scale') form[q.key] = String(level);
        if (q.kind === 'choice') form[q.key] = 'yes';
      }
      const saved = await answerPage(app.db, learner, response.id, index, form);
      if (!('next' in saved)) throw new Error(JSON.stringify(saved));
      index = saved.next;
      level = Math.min(4, level + 1);
    }
    // Answering yes to clinical systems added questions to the technical page.
    const after = (await responseForPrincipal(app.db, learner, response.id)).pages;
    expect(after.find((p) => p.group.key === 'domain-4')?.questions.length).toBeGreaterThan(
      pages.find((p) => p.group.key === 'domain-4')?.questions.length ?? 0,
    );

    await expect(submitAssessment(app.db, other, response.id, true)).rejects.toMatchObject({ status: 404 });
    const results = await submitAssessment(app.db, learner, response.id, true);
    expect(results.groups.map((g) => g.level)).toEqual([1, 2, 3, 4, 4, 4]);
    await expect(answerPage(app.db, learner, response.id, 0, {})).rejects.toMatchObject({ status: 409 });

    const second = await openResponse(app.db, learner, 'digital-skills');
    expect(second.id).not.toBe(response.id);
    const history = await assessmentHistory(app.db, learner, 'digital-skills');
    expect(history.map((h) => h.id)).toEqual([response.id]);
    expect(history[0]?.shared_with_organisation).toBe(true);
    expect(await assessmentHistory(app.db, other, 'digital-skills')).toEqual([]);
  });

  it('refuses to submit an incomplete response, naming the page', async () => {
    const response = await openResponse(app.db, learner, 'digital-skills');
    await expect(submitAssessment(app.db, learner, response.id, false)).rejects.toMatchObject({
      status: 400,
      message: 'Answer the questions on page 1 before you submit',
    });
    await discardResponse(app.db, learner, response.id);
    await expect(responseForPrincipal(app.db, learner, response.id)).rejects.toMatchObject({ status: 404 });
  });

  it('keeps a response from everyone but its respondent', async () => {
    const response = await openResponse(app.db, learner, 'digital-skills');
    await expect(responseForPrincipal(app.db, other, response.id)).rejects.toMatchObject({ status: 404 });
    await expect(answerPage(app.db, other, response.id, 0, {})).rejects.toMatchObject({ status: 404 });
    await expect(responseForPrincipal(app.db, learner, 'not-a-uuid')).rejects.toMatchObject({ status: 404 });
    await expect(openResponse(app.db, learner, 'no-such-tool')).rejects.toMatchObject({ status: 404 });
  });
});
