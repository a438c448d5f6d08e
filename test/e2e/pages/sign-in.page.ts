import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** The sign-in page: email and password, and the link to reset a forgotten password. */
export class SignInPage extends Layout {
  get email(): Locator {
    return this.page.getByLabel('Email address');
  }

  get password(): Locator {
    return this.page.getByLabel('Password', { exact: true });
  }

  async open(returnTo?: string): Promise<this> {
    await this.goto(returnTo === undefined ? '/sign-in' : `/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
    return this;
  }

  /** Fills in the form and sends it; the caller checks where that led. */
  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.navigate(() => this.page.locator('[data-qa="sign-in"]').click());
  }

  async forgottenPassword(): Promise<void> {
    await this.navigate(() => this.page.getByRole('link', { name: 'Forgotten your password?' }).click());
  }
}
