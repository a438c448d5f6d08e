import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** "Your account": the person's name, where they are signed in, and signing out everywhere. */
export class AccountPage extends Layout {
  async open(): Promise<this> {
    await this.goto('/account');
    return this;
  }

  get givenName(): Locator {
    return this.page.getByLabel('First name');
  }

  get familyName(): Locator {
    return this.page.getByLabel('Last name');
  }

  async changeName(givenName: string, familyName: string): Promise<void> {
    await this.givenName.fill(givenName);
    await this.familyName.fill(familyName);
    await this.navigate(() => this.page.getByRole('button', { name: 'Save name' }).click());
  }

  /** One row per browser the person is signed in on. */
  get sessions(): Locator {
    return this.page.locator('[data-qa="sessions"] tbody tr');
  }

  /** Follows "Change your password" and submits the form. */
  async changePassword(current: string, password: string, confirm: string): Promise<void> {
    if (new URL(this.page.url()).pathname !== '/account/password') {
      await this.navigate(() => this.page.locator('[data-qa="change-password"]').click());
    }
    await this.page.getByLabel('Current password').fill(current);
    await this.page.getByLabel('New password', { exact: true }).fill(password);
    await this.page.getByLabel('Confirm new password').fill(confirm);
    await this.navigate(() => this.page.getByRole('button', { name: 'Change password' }).click());
  }

  async signOutEverywhere(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="sign-out-everywhere"]').click());
  }
}

/** A person's profile: for oneself, the career history across organisations. */
export class ProfilePage extends Layout {
  /** The career history (or memberships) table as rows of cell texts, with column headings as keys. */
  async careerHistory(): Promise<Record<string, string>[]> {
    const table = this.page.locator('[data-qa="memberships"]');
    const headings = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
    const rows: Record<string, string>[] = [];
    for (const row of await table.locator('tbody tr').all()) {
      const cells = (await row.locator('td').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
      rows.push(Object.fromEntries(headings.map((heading, i) => [heading, cells[i] ?? ''])));
    }
    return rows;
  }
}
