import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { demoUser } from '../../test/helpers/demo.js';
import { HttpSession } from '../../test/helpers/http.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('email outbox', () => {
  it('shows a platform admin the password-reset email that was kept because no SMTP server is set', async () => {
    const { email } = demoUser('educator');
    await new HttpSession(t.url).postForm('/password-reset', { email });
    const admin = new HttpSession(t.url);
    const { email: adminEmail, password } = demoUser('platform admin');
    await admin.signIn(adminEmail, password);
    const { status, html } = await admin.page('/admin/outbox');
    expect(status).toBe(200);
    expect(html).toContain('Reset your Tessera password');
    expect(html).toContain(`To ${email}`);
    expect(html).toMatch(/\/password-reset\/[A-Za-z0-9_-]{43}/);
  });

  it('is closed to an organisation admin', async () => {
    const browser = new HttpSession(t.url);
    const { email, password } = demoUser('org admin');
    await browser.signIn(email, password);
    expect((await browser.page('/admin/outbox')).status).toBe(403);
  });
});
