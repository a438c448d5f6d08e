import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** "Add a resource": choosing the catalogue and the kind, then describing it. */
export class AddResourcePage extends Layout {
  async open(): Promise<this> {
    await this.goto('/catalogue/resources/new');
    return this;
  }

  /** Chooses the catalogue (its label starts with the catalogue's name) and the kind of resource. */
  async choose(catalogue: string, kind: string): Promise<void> {
    await this.page.locator('[data-qa="catalogue-choices"]').getByLabel(catalogue, { exact: false }).check();
    await this.page.locator('[data-qa="kind-choices"]').getByLabel(kind, { exact: true }).check();
    await this.navigate(() => this.page.locator('[data-qa="continue"]').click());
  }

  /** Fills the title and description and adds the resource; the editor's page follows. */
  async add(title: string, description: string): Promise<ResourceEditorPage> {
    await this.page.locator('#title').fill(title);
    await this.page.locator('#description').fill(description);
    await this.navigate(() => this.page.locator('[data-qa="add-resource"]').click());
    return new ResourceEditorPage(this.page);
  }
}

/** The editor's page for one resource (/catalogue/resources/:id/edit). */
export class ResourceEditorPage extends Layout {
  get status(): Locator {
    return this.page.locator('[data-qa="status"]');
  }

  async openQuestions(): Promise<QuestionsPage> {
    await this.navigate(() => this.page.locator('[data-qa="questions-link"]').click());
    return new QuestionsPage(this.page);
  }

  async publish(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="action-publish"]').click());
  }
}

/** An option as the author writes it. */
export interface OptionInput {
  text: string;
  correct?: boolean;
  feedback?: string;
}

/** An assessment's questions page for its editors (/catalogue/resources/:id/edit/questions). */
export class QuestionsPage extends Layout {
  get versionNote(): Locator {
    return this.page.locator('[data-qa="version-note"]');
  }

  /** The questions' texts, in order. */
  async questions(): Promise<string[]> {
    return (await this.page.locator('[data-qa="question-text"]').allInnerTexts()).map((t) => t.trim());
  }

  /** The settings as "Key: value" lines. */
  async settings(): Promise<string[]> {
    const rows = this.page.locator('[data-qa="settings"] .nhsuk-summary-list__row');
    const result: string[] = [];
    for (const row of await rows.all()) {
      const key = (await row.locator('dt').innerText()).trim();
      const value = (await row.locator('dd').first().innerText()).trim();
      result.push(`${key}: ${value}`);
    }
    return result;
  }

  /** Chooses the kind ("Single choice", "Multiple choice", "True or false") and opens the question form. */
  async addQuestion(kind?: string): Promise<QuestionFormPage> {
    if (kind !== undefined)
      await this.page.locator('[data-qa="add-question-form"]').getByLabel(kind, { exact: true }).check();
    await this.navigate(() => this.page.locator('[data-qa="add-question"]').click());
    return new QuestionFormPage(this.page);
  }

  async changeSettings(): Promise<SettingsPage> {
    await this.navigate(() => this.page.locator('[data-qa="settings"] a').first().click());
    return new SettingsPage(this.page);
  }

  /** Goes back to the resource's editor page. */
  async backToEditor(): Promise<ResourceEditorPage> {
    await this.navigate(() => this.page.getByRole('link', { name: /^Back to editing / }).click());
    return new ResourceEditorPage(this.page);
  }
}

/** The form for one question. */
export class QuestionFormPage extends Layout {
  async write(text: string, options: OptionInput[]): Promise<void> {
    await this.page.locator('#text').fill(text);
    for (const [i, option] of options.entries()) {
      const row = i + 1;
      await this.page.locator(`#option-${row}-text`).fill(option.text);
      await this.page.locator(`#option-${row}-correct`).setChecked(option.correct === true);
      if (option.feedback !== undefined) await this.page.locator(`#option-${row}-feedback`).fill(option.feedback);
    }
  }

  async writeTrueFalse(text: string, answer: 'True' | 'False', feedbackIncorrect?: string): Promise<void> {
    await this.page.locator('#text').fill(text);
    await this.page.getByRole('group', { name: 'Right answer' }).getByLabel(answer, { exact: true }).check();
    if (feedbackIncorrect !== undefined) await this.page.locator('#feedbackIncorrect').fill(feedbackIncorrect);
  }

  /** Saves; the questions page follows unless the form has errors. */
  async save(): Promise<QuestionsPage> {
    await this.navigate(() => this.page.locator('[data-qa="save-question"]').click());
    return new QuestionsPage(this.page);
  }
}

/** The assessment's settings form. */
export class SettingsPage extends Layout {
  async set(settings: { passMark: string; attemptsAllowed: string; showFeedback: string }): Promise<QuestionsPage> {
    await this.page.locator('#passMark').fill(settings.passMark);
    await this.page.locator('#attemptsAllowed').fill(settings.attemptsAllowed);
    await this.page.getByLabel(settings.showFeedback, { exact: true }).check();
    await this.navigate(() => this.page.locator('[data-qa="save-settings"]').click());
    return new QuestionsPage(this.page);
  }
}

/** A learner's assessment at /learn/view/:attemptId: the questions, then the result. */
export class QuizPage extends Layout {
  /** Opens a resource's page in the catalogue and presses its start button, which leads here. */
  async startFrom(resourceId: string): Promise<this> {
    await this.goto(`/catalogue/resources/${resourceId}`);
    await this.navigate(() => this.page.locator('[data-qa="start-button"]').click());
    return this;
  }

  get intro(): Locator {
    return this.page.locator('[data-qa="quiz-intro"]');
  }

  /** The question legends as shown ("Question 1: …"). */
  async legends(): Promise<string[]> {
    return (await this.page.locator('[data-qa="quiz-form"] legend').allInnerTexts()).map((t) => t.trim());
  }

  /** Chooses answers to the question whose text is given. */
  async answer(question: string, options: string[]): Promise<void> {
    const group = this.page.getByRole('group', { name: new RegExp(`^Question \\d+: ${escape(question)}`) });
    for (const option of options) await group.getByLabel(option, { exact: true }).check();
  }

  async submit(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="submit-answers"]').click());
  }

  /** The result's summary rows as "Key: value". */
  async result(): Promise<string[]> {
    const rows = this.page.locator('[data-qa="result"] .nhsuk-summary-list__row');
    const lines: string[] = [];
    for (const row of await rows.all()) {
      lines.push(`${(await row.locator('dt').innerText()).trim()}: ${(await row.locator('dd').innerText()).trim()}`);
    }
    return lines;
  }

  get tryAgainButton(): Locator {
    return this.page.locator('[data-qa="try-again"]');
  }

  async tryAgain(): Promise<void> {
    await this.navigate(() => this.tryAgainButton.click());
  }

  /** The feedback paragraphs shown under the answers. */
  async feedback(): Promise<string[]> {
    return (await this.page.locator('[data-qa="feedback"]').allInnerTexts()).map((t) => t.trim());
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
