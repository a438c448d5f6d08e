import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** Resetting a forgotten password: asking for a link, then setting a new password through it. */
export class PasswordResetPage extends Layout {
  async open(): Promise<this> {
    await this.goto('/password-reset');
    return this;
  }

  async requestLink(email: string): Promise<void> {
    await this.page.getByLabel('Email address').fill(email);
    await this.navigate(() => this.page.getByRole('button', { name: 'Send reset link' }).click());
  }

  get newPassword(): Locator {
    return this.page.getByLabel('New password', { exact: true });
  }

  get confirmPassword(): Locator {
    return this.page.getByLabel('Confirm new password');
  }

  async setPassword(password: string, confirm: string): Promise<void> {
    await this.newPassword.fill(password);
    await this.confirmPassword.fill(confirm);
    await this.navigate(() => this.page.getByRole('button', { name: 'Set password' }).click());
  }

  async signInWithNewPassword(): Promise<void> {
    await this.navigate(() => this.page.getByRole('link', { name: 'Sign in with your new password' }).click());
  }
}
