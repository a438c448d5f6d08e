import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** An organisation's API clients: creating one (its secret shown once) and revoking it. */
export class ApiClientsPage extends Layout {
  async create(name: string, scopes: string[]): Promise<void> {
    await this.page.getByLabel('Name', { exact: true }).fill(name);
    for (const scope of scopes) await this.page.getByRole('checkbox', { name: scope }).check();
    await this.navigate(() => this.page.getByRole('button', { name: 'Create API client' }).click());
  }

  get newClient(): Locator {
    return this.page.locator('[data-qa="new-client"]');
  }

  async shownKey(): Promise<string> {
    return ((await this.page.locator('[data-qa="client-key"]').textContent()) ?? '').trim();
  }

  async shownSecret(): Promise<string> {
    return ((await this.page.locator('[data-qa="client-secret"]').textContent()) ?? '').trim();
  }

  /** The row of the client with this name. */
  row(name: string): Locator {
    return this.page.locator('[data-qa="clients"] tbody tr', {
      has: this.page.locator('td:first-child', { hasText: name }),
    });
  }

  async revoke(name: string): Promise<void> {
    await this.navigate(() =>
      this.row(name)
        .getByRole('button', { name: `Revoke ${name}` })
        .click(),
    );
  }
}
