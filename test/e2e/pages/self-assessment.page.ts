import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

function tidy(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** The text of an element as a sighted person reads it: visually hidden text left out, spacing tidied. */
async function visibleText(locator: Locator): Promise<string> {
  const text = await locator.evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    const hidden = copy.querySelectorAll('.nhsuk-u-visually-hidden');
    for (let i = 0; i < hidden.length; i++) hidden.item(i).remove();
    return copy.textContent;
  });
  return tidy(text);
}

/** A table's body rows as cell texts (th and td), as a sighted person reads them. */
async function rowsOf(table: Locator): Promise<string[][]> {
  const result: string[][] = [];
  for (const row of await table.locator('tbody tr').all()) {
    const cells: string[] = [];
    for (const cell of await row.locator('th, td').all()) cells.push(await visibleText(cell));
    result.push(cells);
  }
  return result;
}

/** "Self-assessments": the tools the learner can take, each with Start or Continue and their last result. */
export class SelfAssessmentsPage extends Layout {
  async open(): Promise<this> {
    await this.goto('/self-assessments');
    return this;
  }

  tool(key: string): Locator {
    return this.page.locator(`[data-qa="tool"][data-tool="${key}"]`);
  }

  startButton(key: string): Locator {
    return this.page.locator(`[data-qa="start-${key}"]`);
  }

  /** Presses Start or Continue; the question page it leads to. */
  async start(key: string): Promise<QuestionPage> {
    await this.navigate(() => this.startButton(key).click());
    return new QuestionPage(this.page);
  }

  async lastResult(key: string): Promise<string> {
    return visibleText(this.tool(key).locator('[data-qa="last-result"]'));
  }
}

/** One page of questions: the group as heading, radios for scale and choice questions, text areas. */
export class QuestionPage extends Layout {
  get progress(): Locator {
    return this.page.locator('[data-qa="progress"]');
  }

  get notice(): Locator {
    return this.page.locator('[data-qa="notice"]');
  }

  /** The legends (question texts) of the radio questions on the page, in order. */
  async questions(): Promise<string[]> {
    return (await this.page.locator('[data-qa="question-form"] legend').allTextContents()).map(tidy);
  }

  /** The radio question with this text (its fieldset). */
  question(text: string): Locator {
    return this.page.getByRole('group', { name: text, exact: true });
  }

  /** Chooses an answer by its label, in the question with this text. */
  async choose(question: string, answer: string): Promise<void> {
    await this.question(question).getByRole('radio', { name: answer, exact: true }).check();
  }

  /** The label of the answer chosen in a question, or '' when none is. */
  async chosen(question: string): Promise<string> {
    const checked = this.question(question).locator('input:checked');
    if ((await checked.count()) === 0) return '';
    const id = (await checked.getAttribute('id')) ?? '';
    return tidy(await this.page.locator(`label[for="${id}"]`).textContent());
  }

  /** Gives the same answer (by label) to every radio question on the page that has it. */
  async chooseForAll(answerFor: (question: string) => string): Promise<void> {
    for (const question of await this.questions()) await this.choose(question, answerFor(question));
  }

  async write(label: string, text: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).fill(text);
  }

  /** The error shown beside a question's field, by the field's id. */
  errorBeside(fieldId: string): Locator {
    return this.page.locator(`[id="${fieldId}-error"]`);
  }

  async saveAndContinue(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="save-continue"]').click());
  }

  async saveForLater(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="save-later"]').click());
  }

  get backLink(): Locator {
    return this.page.locator('[data-qa="back-link"]');
  }
}

/** "Check your answers": a summary list per group with Change links, the consent checkbox and Submit. */
export class CheckAnswersPage extends Layout {
  /** The answers as [question, answer] pairs, in order. */
  async answers(): Promise<[string, string][]> {
    const rows = await this.page.locator('[data-qa="answers"] .nhsuk-summary-list__row').all();
    const result: [string, string][] = [];
    for (const row of rows) {
      result.push([tidy(await row.locator('dt').textContent()), tidy(await row.locator('dd').first().textContent())]);
    }
    return result;
  }

  async change(question: string): Promise<QuestionPage> {
    const row = this.page.locator('[data-qa="answers"] .nhsuk-summary-list__row', {
      has: this.page.locator('dt', { hasText: question }),
    });
    await this.navigate(() => row.getByRole('link', { name: /^Change/ }).click());
    return new QuestionPage(this.page);
  }

  get consent(): Locator {
    return this.page.getByRole('checkbox', { name: /^Let my organisation include my results in its reports/ });
  }

  async submit(): Promise<ResultsPage> {
    await this.navigate(() => this.page.locator('[data-qa="submit"]').click());
    return new ResultsPage(this.page);
  }
}

/** The results: chart, its data table, change over time, gaps with signposts, areas to develop, reflections. */
export class ResultsPage extends Layout {
  get chart(): Locator {
    return this.page.locator('svg[data-qa="results-chart"]');
  }

  /** The chart as assistive technology meets it: an image with a name. */
  get chartImage(): Locator {
    return this.page.getByRole('img', { name: /^Your level in each domain/ });
  }

  async profile(): Promise<string[][]> {
    return rowsOf(this.page.locator('[data-qa="profile-table"]'));
  }

  async changeOverTime(): Promise<string[][]> {
    return rowsOf(this.page.locator('[data-qa="change-over-time"]'));
  }

  async requirements(): Promise<string[][]> {
    return rowsOf(this.page.locator('[data-qa="requirements"]'));
  }

  /** Each gap: the "Because you need…" sentence and the signposted links' texts. */
  async gaps(): Promise<{ because: string; links: string[] }[]> {
    const result: { because: string; links: string[] }[] = [];
    for (const gap of await this.page.locator('[data-qa="gap"]').all()) {
      result.push({
        because: tidy(await gap.locator('p').first().textContent()),
        links: (await gap.locator('[data-qa="signposts"] a').allTextContents()).map(tidy),
      });
    }
    return result;
  }

  /** The areas to develop, as their sentence. */
  async areas(): Promise<string[]> {
    return (await this.page.locator('[data-qa="area"] > p:first-child').allTextContents()).map(tidy);
  }

  async reflections(): Promise<string[]> {
    return (await this.page.locator('[data-qa="reflections"] dd').allTextContents()).map(tidy);
  }

  async openHistory(): Promise<HistoryPage> {
    await this.navigate(() => this.page.getByRole('link', { name: 'All your results', exact: true }).click());
    return new HistoryPage(this.page);
  }
}

/** "Your results": the learner's submitted results to one tool, newest first. */
export class HistoryPage extends Layout {
  /** The results as [date, counted in organisation reports]. */
  async rows(): Promise<string[][]> {
    return rowsOf(this.page.locator('[data-qa="history"]'));
  }
}

/** Signposted learning for one framework item: the list, and the form to add one. */
export class SignpostsPage extends Layout {
  async open(frameworkId: string, itemIdentifier: string): Promise<this> {
    await this.goto(`/frameworks/${frameworkId}/items/${itemIdentifier}/signposts`);
    return this;
  }

  async rows(): Promise<string[][]> {
    return rowsOf(this.page.locator('table[data-qa="signposts"]'));
  }

  async add(fields: {
    owner?: string;
    title: string;
    url: string;
    provider?: string;
    description?: string;
  }): Promise<void> {
    if (fields.owner !== undefined) await this.page.getByRole('radio', { name: fields.owner, exact: true }).check();
    await this.page.getByLabel('Title', { exact: true }).fill(fields.title);
    await this.page.getByLabel('Web address', { exact: true }).fill(fields.url);
    await this.page.getByLabel('Provider (optional)', { exact: true }).fill(fields.provider ?? '');
    await this.page.getByLabel('Description (optional)', { exact: true }).fill(fields.description ?? '');
    await this.navigate(() => this.page.locator('[data-qa="add-signpost"]').click());
  }
}
