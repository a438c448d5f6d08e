import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** An organisation's assigned learning: the assignments in force, with their counts, and the button to assign. */
export class AssignmentsPage extends Layout {
  async open(orgCode: string): Promise<number> {
    return this.goto(`/admin/organisations/${orgCode}/assignments`);
  }

  /** Follows "Assign learning" to the page choosing what to assign. */
  async assignLearning(): Promise<ChooseLearningPage> {
    await this.navigate(() => this.page.locator('[data-qa="assign-learning"]').click());
    return new ChooseLearningPage(this.page);
  }

  /** Each assignment: its title, who it is for, and its complete, due and overdue counts. */
  async rows(): Promise<{ title: string; audience: string; complete: string; due: string; overdue: string }[]> {
    const out = [];
    for (const row of await this.page.locator('[data-qa="assignment-row"]').all()) {
      const text = async (qa: string) => squeeze((await row.locator(`[data-qa="${qa}"]`).textContent()) ?? '');
      out.push({
        title: await text('assignment-title'),
        audience: await text('assignment-audience'),
        complete: await text('count-complete'),
        due: await text('count-due'),
        overdue: await text('count-overdue'),
      });
    }
    return out;
  }

  /** Follows "See the compliance report". */
  async openComplianceReport(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="compliance-link"]').click());
  }
}

/** Choosing the learning to assign: a search, and the published learning found. */
export class ChooseLearningPage extends Layout {
  async search(text: string): Promise<void> {
    await this.page.getByLabel('Find learning').fill(text);
    await this.navigate(() => this.page.locator('[data-qa="search-learning"]').click());
  }

  /** The titles listed. */
  async titles(): Promise<string[]> {
    return (await this.page.locator('[data-qa="subject-title"]').allTextContents()).map((t) => squeeze(t));
  }

  /** Chooses the learning with this title, opening the assignment form. */
  async choose(title: string): Promise<AssignmentFormPage> {
    const row = this.page.locator('[data-qa="subject-row"]', { hasText: title });
    await this.navigate(() => row.locator('[data-qa="choose-subject"]').click());
    return new AssignmentFormPage(this.page);
  }
}

/** The assignment form: who, mandatory or recommended, due, recertification and reminders. */
export class AssignmentFormPage extends Layout {
  get recertifyMonths(): Locator {
    return this.page.getByLabel('Renew every (optional)');
  }

  get dueDays(): Locator {
    return this.page.getByLabel('Complete within');
  }

  get reminderDays(): Locator {
    return this.page.getByLabel('Send reminders (optional)');
  }

  /** Chooses a staff group as the audience. */
  async forStaffGroup(staffGroup: string): Promise<void> {
    await this.page.getByLabel('A staff group', { exact: true }).check();
    await this.page.getByLabel('Staff group', { exact: true }).selectOption({ label: staffGroup });
  }

  async mandatory(choice: 'Mandatory' | 'Recommended'): Promise<void> {
    await this.page.getByLabel(choice, { exact: true }).check();
  }

  /** Sends the form with "Assign learning". */
  async assign(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="assign"]').click());
  }
}
