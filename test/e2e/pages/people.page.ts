import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** An organisation's people list, with search. */
export class PeoplePage extends Layout {
  async open(orgCode: string, query = ''): Promise<this> {
    await this.goto(`/admin/organisations/${orgCode}/people${query === '' ? '' : `?q=${encodeURIComponent(query)}`}`);
    return this;
  }

  async search(text: string): Promise<void> {
    await this.page.getByLabel('Search by name, email or assignment number').fill(text);
    await this.navigate(() => this.page.getByRole('button', { name: 'Search' }).click());
  }

  /** "3 people matching …" */
  async total(): Promise<string> {
    return ((await this.page.locator('[data-qa="people-total"]').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The names in the list, in order. */
  async names(): Promise<string[]> {
    return (await this.page.locator('[data-qa="people"] tbody td:first-child a').allTextContents()).map((t) =>
      t.trim(),
    );
  }

  /** The row of one person, to read their email, job role, band or roles. */
  row(name: string): Locator {
    return this.page.locator('[data-qa="people"] tbody tr', {
      has: this.page.getByRole('link', { name, exact: true }),
    });
  }

  async openPerson(name: string): Promise<PersonAdminPage> {
    await this.navigate(() => this.page.locator('[data-qa="people"]').getByRole('link', { name, exact: true }).click());
    return new PersonAdminPage(this.page);
  }
}

/** One person in an organisation, as its admin sees them: details and roles. */
export class PersonAdminPage extends Layout {
  /** The role checkbox with this label ("Supervisor", …). */
  role(label: string): Locator {
    return this.page.getByRole('checkbox', { name: label, exact: true });
  }

  /** The labels of the roles ticked. */
  async rolesTicked(): Promise<string[]> {
    const ticked: string[] = [];
    for (const box of await this.page.locator('input[name="roles"]').all()) {
      if (!(await box.isChecked())) continue;
      const id = (await box.getAttribute('id')) ?? '';
      ticked.push(((await this.page.locator(`label[for="${id}"]`).textContent()) ?? '').trim());
    }
    return ticked;
  }

  async saveRoles(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="save-roles"]').click());
  }
}
