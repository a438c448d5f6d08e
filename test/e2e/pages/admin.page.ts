import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** /admin: the organisations the person administers, and for platform admins, adding one. */
export class AdminPage extends Layout {
  async open(): Promise<this> {
    await this.goto('/admin');
    return this;
  }

  get organisations(): Locator {
    return this.page.locator('[data-qa="organisations"]');
  }

  async organisationNames(): Promise<string[]> {
    return (await this.organisations.locator('tbody a').allTextContents()).map((t) => t.trim());
  }

  async openOrganisation(name: string): Promise<OrganisationPage> {
    await this.navigate(() => this.organisations.getByRole('link', { name, exact: true }).click());
    return new OrganisationPage(this.page);
  }

  async addOrganisation(): Promise<NewOrganisationPage> {
    await this.navigate(() => this.page.locator('[data-qa="add-organisation"]').click());
    return new NewOrganisationPage(this.page);
  }
}

/** One organisation's admin page: its summary and links to people, invitations, import, API clients, audit. */
export class OrganisationPage extends Layout {
  /** Follows one of the organisation's admin links by its text. */
  async follow(text: string): Promise<void> {
    await this.navigate(() =>
      this.page.locator('[data-qa="org-admin-links"]').getByRole('link', { name: text, exact: true }).click(),
    );
  }

  /** The value of a row in the organisation's summary list. */
  async summary(key: string): Promise<string> {
    const row = this.page.locator('.nhsuk-summary-list__row', {
      has: this.page.locator('.nhsuk-summary-list__key', { hasText: key }),
    });
    return ((await row.locator('.nhsuk-summary-list__value').textContent()) ?? '').trim();
  }
}

/** Adding an organisation (platform admins only). */
export class NewOrganisationPage extends Layout {
  async add(values: { code: string; name: string; kind?: string }): Promise<void> {
    await this.page.getByLabel('Organisation code').fill(values.code);
    await this.page.getByLabel('Name', { exact: true }).fill(values.name);
    if (values.kind !== undefined)
      await this.page.getByLabel('Kind of organisation').selectOption({ label: values.kind });
    await this.navigate(() => this.page.getByRole('button', { name: 'Add organisation' }).click());
  }
}

/** The audit log, for the platform or for one organisation. */
export class AuditPage extends Layout {
  get events(): Locator {
    return this.page.locator('[data-qa="audit"] tbody tr');
  }

  /** The action of every event shown, newest first. */
  async actions(): Promise<string[]> {
    return (await this.page.locator('[data-qa="audit"] tbody tr td:nth-child(2)').allTextContents()).map((t) =>
      t.trim(),
    );
  }

  /** Shows only the events with one action, by following that action's link. */
  async filterBy(action: string): Promise<void> {
    await this.navigate(() =>
      this.page.locator('[data-qa="audit"]').getByRole('link', { name: action, exact: true }).first().click(),
    );
  }
}
