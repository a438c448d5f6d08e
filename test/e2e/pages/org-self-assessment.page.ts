import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** Rows of a table as cell texts (header cells included), whitespace collapsed. */
async function tableRows(table: Locator): Promise<string[][]> {
  const rows: string[][] = [];
  for (const row of await table.locator('tbody tr').all()) {
    rows.push((await row.locator('th, td').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()));
  }
  return rows;
}

/** "Self-assessments" of an organisation: each tool with its status, latest maturity and links. */
export class OrgSelfAssessmentsPage extends Layout {
  async open(code: string): Promise<this> {
    await this.goto(`/organisations/${code}/self-assessments`);
    return this;
  }

  /** The status summary of a tool, e.g. "Not started". */
  async status(toolKey: string): Promise<string> {
    const value = this.page.locator(`[data-qa="status-${toolKey}"] .nhsuk-summary-list__row`).first().locator('dd');
    return ((await value.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** A row of a tool's status summary by its key, e.g. "Open actions". */
  async summaryValue(toolKey: string, key: string): Promise<string> {
    const row = this.page.locator(`[data-qa="status-${toolKey}"] .nhsuk-summary-list__row`, {
      has: this.page.locator('dt', { hasText: key }),
    });
    return ((await row.locator('dd').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** Start (or continue) a tool with its button. */
  async start(toolKey: string): Promise<OrgAssessmentQuestionPage> {
    await this.navigate(() => this.page.locator(`[data-qa="start-${toolKey}"]`).click());
    return new OrgAssessmentQuestionPage(this.page);
  }

  /** The latest maturity table of a tool as [domain, mean, level]. */
  async latest(toolKey: string): Promise<string[][]> {
    return tableRows(this.page.locator(`[data-qa="latest-${toolKey}"]`));
  }
}

/** One domain's page of an organisational self-assessment: radios per capability, an optional note. */
export class OrgAssessmentQuestionPage extends Layout {
  /** "…: domain 2 of 6". */
  async progress(): Promise<string> {
    return ((await this.page.locator('[data-qa="progress"]').textContent()) ?? '').trim();
  }

  /** The capability questions on the page (their radio groups). */
  get questions(): Locator {
    return this.page.locator('[data-qa^="rating-"]');
  }

  /** Picks the level, by its radio label (e.g. "Level 2: Developing"), for every capability on the page. */
  async rateAll(label: string): Promise<void> {
    for (const question of await this.questions.all()) {
      await question.getByLabel(label, { exact: true }).check();
    }
  }

  async writeNote(text: string): Promise<void> {
    await this.page.locator('form textarea').fill(text);
  }

  async saveAndContinue(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="save-and-continue"]').click());
  }
}

/** "Check your answers" before submitting. */
export class OrgAssessmentCheckPage extends Layout {
  /** The answers of one page (1-based) as [question, answer]. */
  async answers(pageNumber: number): Promise<string[][]> {
    const rows = await this.page.locator(`[data-qa="answers-${String(pageNumber)}"] .nhsuk-summary-list__row`).all();
    const result: string[][] = [];
    for (const row of rows) {
      const key = ((await row.locator('dt').textContent()) ?? '').replace(/\s+/g, ' ').trim();
      const value = ((await row.locator('dd').first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
      result.push([key, value]);
    }
    return result;
  }

  async submit(): Promise<OrgAssessmentResultsPage> {
    await this.navigate(() => this.page.locator('[data-qa="submit"]').click());
    return new OrgAssessmentResultsPage(this.page);
  }
}

/** "Results": the maturity chart, the table beside it, change over time. */
export class OrgAssessmentResultsPage extends Layout {
  get chart(): Locator {
    return this.page.locator('svg[data-qa="maturity-chart"]');
  }

  /** The accessible name of the chart (its title). */
  async chartName(): Promise<string> {
    return (await this.chart.locator('title').textContent()) ?? '';
  }

  /** The results table as [domain, mean, level, …]. */
  async results(): Promise<string[][]> {
    return tableRows(this.page.locator('[data-qa="results-table"]'));
  }

  async openActionPlan(): Promise<OrgActionPlanPage> {
    await this.navigate(() => this.page.locator('[data-qa="action-plan-link"]').click());
    return new OrgActionPlanPage(this.page);
  }

  async openComparison(): Promise<OrgComparisonPage> {
    await this.navigate(() => this.page.locator('[data-qa="comparison-link"]').click());
    return new OrgComparisonPage(this.page);
  }
}

/** "Action plan": actions by domain, overdue ones flagged. */
export class OrgActionPlanPage extends Layout {
  async summary(): Promise<string> {
    return ((await this.page.locator('[data-qa="plan-summary"]').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async addAction(): Promise<OrgActionFormPage> {
    await this.navigate(() => this.page.locator('[data-qa="add-action"]').click());
    return new OrgActionFormPage(this.page);
  }

  /** The actions of a domain (its group key, e.g. "domain-2") as [action, owner, due, status, …]. */
  async actions(groupKey: string): Promise<string[][]> {
    const rows = await this.page.locator(`[data-qa="plan-${groupKey}"] [data-qa="action"]`).all();
    const result: string[][] = [];
    for (const row of rows) {
      result.push((await row.locator('td').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()));
    }
    return result;
  }
}

/** Adding or changing an action: domain, action, owner, due date, status. */
export class OrgActionFormPage extends Layout {
  async fill(action: {
    domain?: string;
    action?: string;
    owner?: string;
    due?: [string, string, string];
    status?: string;
  }): Promise<void> {
    if (action.domain !== undefined) await this.page.getByLabel('Domain', { exact: true }).selectOption(action.domain);
    if (action.action !== undefined) await this.page.getByLabel('Action', { exact: true }).fill(action.action);
    if (action.owner !== undefined) await this.page.getByLabel('Owner (optional)').fill(action.owner);
    if (action.due !== undefined) {
      await this.page.getByLabel('Day').fill(action.due[0]);
      await this.page.getByLabel('Month').fill(action.due[1]);
      await this.page.getByLabel('Year').fill(action.due[2]);
    }
    if (action.status !== undefined) await this.page.getByLabel(action.status, { exact: true }).check();
  }

  async save(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="save-action"]').click());
  }
}

/** "Comparison with other organisations". */
export class OrgComparisonPage extends Layout {
  get notEnough(): Locator {
    return this.page.locator('[data-qa="not-enough"]');
  }

  get chart(): Locator {
    return this.page.locator('svg[data-qa="comparison-chart"]');
  }

  /** The comparison table as [domain, yours, median, middle half, organisations compared]. */
  async rows(): Promise<string[][]> {
    return tableRows(this.page.locator('[data-qa="comparison-table"]'));
  }
}
