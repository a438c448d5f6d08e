import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** Inviting people to an organisation by email, and the invitations sent. */
export class InvitationsPage extends Layout {
  async invite(email: string, roles: string[] = []): Promise<void> {
    await this.page.getByLabel('Email address').fill(email);
    for (const role of roles) await this.page.getByRole('checkbox', { name: role, exact: true }).check();
    await this.navigate(() => this.page.getByRole('button', { name: 'Send invitation' }).click());
  }

  /** The box with the one-time link, shown right after inviting. */
  get linkBox(): Locator {
    return this.page.locator('[data-qa="invitation-link"]');
  }

  /** The invitation link shown after inviting. */
  async link(): Promise<string> {
    return ((await this.linkBox.locator('code').textContent()) ?? '').trim();
  }

  /** The emails in the recent invitations table. */
  async invitedEmails(): Promise<string[]> {
    return (await this.page.locator('[data-qa="invitations"] tbody td:first-child').allTextContents()).map((t) =>
      t.trim(),
    );
  }
}
