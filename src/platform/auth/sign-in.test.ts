import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_MAX_ATTEMPTS: '3', SIGN_IN_RATE_LIMIT_PER_MINUTE: '50' });
});
afterAll(async () => t.close());

describe('sign-in with a local account', () => {
  it('signs in, shows the person by name, and sets a HttpOnly SameSite session cookie', async () => {
    const browser = new HttpSession(t.url);
    const { email, password } = demoUser('learner');
    const response = await browser.postForm('/sign-in', { email, password, returnTo: '/account' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/account');
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('tessera_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const home = await browser.page('/');
    expect(home.html).toContain('Welcome, Amara');
  });

  it('refuses a wrong password with a form error and no session', async () => {
    const browser = new HttpSession(t.url);
    const response = await browser.postForm('/sign-in', {
      email: demoUser('educator').email,
      password: 'not-the-password',
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('There is a problem');
    expect(html).toContain('Enter a correct email address and password');
    expect(browser.cookies.has('tessera_session')).toBe(false);
  });

  it('answers an empty form with errors next to each field', async () => {
    const browser = new HttpSession(t.url);
    const response = await browser.postForm('/sign-in', { email: '', password: '' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Enter your email address');
    expect(html).toContain('Enter your password');
  });

  it('locks the account after the configured failures, even against the right password, and audits it', async () => {
    const browser = new HttpSession(t.url);
    const { email, password } = demoUser('org admin (community trust)');
    for (let i = 0; i < 3; i++) await browser.postForm('/sign-in', { email, password: `wrong-${i}` });
    const locked = await browser.postForm('/sign-in', { email, password });
    expect(locked.status).toBe(400);
    expect(await locked.text()).toContain('This account is locked');
    const events = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'account_locked')
      .execute();
    expect(events.length).toBeGreaterThan(0);
  });

  it('refuses a form without the CSRF token', async () => {
    const browser = new HttpSession(t.url);
    const { email, password } = demoUser('learner');
    const response = await browser.postForm('/sign-in', { email, password }, { withCsrf: false });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('This form has expired');
  });

  it('refuses a form posted from another site', async () => {
    const browser = new HttpSession(t.url);
    const { email, password } = demoUser('learner');
    const response = await browser.postForm(
      '/sign-in',
      { email, password },
      { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } },
    );
    expect(response.status).toBe(403);
  });

  it('never redirects to another site after sign-in', async () => {
    const browser = new HttpSession(t.url);
    const { email, password } = demoUser('supervisor');
    const response = await browser.postForm('/sign-in', { email, password, returnTo: '//evil.example/' });
    expect(response.headers.get('location')).toBe('/');
  });

  it('signs out everywhere: every session of the person ends', async () => {
    const { email, password } = demoUser('supervisor');
    const laptop = new HttpSession(t.url);
    const phone = new HttpSession(t.url);
    await laptop.signIn(email, password);
    await phone.signIn(email, password);
    expect((await phone.page('/account')).status).toBe(200);
    const out = await laptop.postForm('/sign-out-everywhere', {});
    expect(out.status).toBe(303);
    const after = await phone.get('/account');
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toMatch(/^\/sign-in/);
  });
});

describe('password reset by one-time link', () => {
  it('emails a link that sets a new password once, and signs out other sessions', async () => {
    const { email, password } = demoUser('educator');
    const other = new HttpSession(t.url);
    await other.signIn(email, password);
    const browser = new HttpSession(t.url);
    const requested = await browser.postForm('/password-reset', { email });
    expect(requested.status).toBe(200);
    const mail = await t.db
      .selectFrom('email_outbox')
      .select('body')
      .where('to_address', '=', email)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const link = /\/password-reset\/([A-Za-z0-9_-]+)/.exec(mail.body)?.[1];
    expect(link).toBeDefined();
    const mismatch = await browser.postForm(`/password-reset/${link ?? ''}`, {
      password: 'a-brand-new-password',
      confirm: 'something-else-entirely',
    });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('Passwords do not match');
    const done = await browser.postForm(`/password-reset/${link ?? ''}`, {
      password: 'a-brand-new-password',
      confirm: 'a-brand-new-password',
    });
    expect(done.status).toBe(200);
    expect((await other.get('/account')).status).toBe(302);
    await new HttpSession(t.url).signIn(email, 'a-brand-new-password');
    const reused = await browser.page(`/password-reset/${link ?? ''}`);
    expect(reused.status).toBe(410);
  });

  it('answers the same for an unknown email, sending nothing', async () => {
    const browser = new HttpSession(t.url);
    const response = await browser.postForm('/password-reset', { email: 'nobody@nowhere.invalid' });
    expect(response.status).toBe(200);
    const mails = await t.db
      .selectFrom('email_outbox')
      .select('id')
      .where('to_address', '=', 'nobody@nowhere.invalid')
      .execute();
    expect(mails).toHaveLength(0);
  });
});

describe('changing your password while signed in', () => {
  it('checks the current password, keeps this session and ends the others', async () => {
    const email = 'chloe.davies@rnb.demo.tessera.invalid';
    const password = 'tessera-demo-2026';
    const here = new HttpSession(t.url);
    const elsewhere = new HttpSession(t.url);
    await here.signIn(email, password);
    await elsewhere.signIn(email, password);

    const wrong = await here.postForm('/account/password', {
      current: 'not-it',
      password: 'a-new-long-password',
      confirm: 'a-new-long-password',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Your current password is wrong');

    const short = await here.postForm('/account/password', { current: password, password: 'short', confirm: 'short' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('Password must be 12 characters or more');

    const changed = await here.postForm('/account/password', {
      current: password,
      password: 'a-new-long-password',
      confirm: 'a-new-long-password',
    });
    expect(changed.status).toBe(303);
    const account = await here.page('/account?password=changed');
    expect(account.status).toBe(200);
    expect(account.html).toContain('Your password has been changed');
    expect((await elsewhere.get('/account')).status).toBe(302);

    const old = await new HttpSession(t.url).postForm('/sign-in', { email, password });
    expect(old.status).toBe(400);
    await new HttpSession(t.url).signIn(email, 'a-new-long-password');
    const audited = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'password_changed')
      .execute();
    expect(audited).toHaveLength(1);
  });

  it('counts wrong current passwords like failed sign-ins: the third locks the account and ends every session', async () => {
    const email = 'daniel.mensah@rnb.demo.tessera.invalid';
    const password = 'tessera-demo-2026';
    const here = new HttpSession(t.url);
    const elsewhere = new HttpSession(t.url);
    await here.signIn(email, password);
    await elsewhere.signIn(email, password);
    const attempt = (current: string) =>
      here.postForm('/account/password', { current, password: 'a-new-long-password', confirm: 'a-new-long-password' });

    // A right current password in between starts the count again, so only three wrong ones in a row lock.
    expect((await attempt('wrong-1')).status).toBe(400);
    expect((await attempt('wrong-2')).status).toBe(400);
    const refused = await here.postForm('/account/password', {
      current: password,
      password: 'short',
      confirm: 'short',
    });
    expect(await refused.text()).toContain('Password must be 12 characters or more');
    expect((await attempt('wrong-3')).status).toBe(400);
    expect((await attempt('wrong-4')).status).toBe(400);
    expect((await here.page('/account')).status).toBe(200);

    const locked = await attempt('wrong-5');
    expect(locked.status).toBe(303);
    expect(locked.headers.get('location')).toBe('/sign-in');
    for (const session of [here, elsewhere]) {
      const account = await session.get('/account');
      expect(account.status).toBe(302);
      expect(account.headers.get('location')).toMatch(/^\/sign-in/);
    }
    const signIn = await here.postForm('/sign-in', { email, password });
    expect(signIn.status).toBe(400);
    expect(await signIn.text()).toContain('This account is locked');

    const person = await t.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const events = await t.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('subject_person_id', '=', person.id)
      .orderBy('id')
      .execute();
    const failed = events.filter(
      (e) => e.action === 'sign_in_failed' && JSON.stringify(e.details).includes('wrong current password'),
    );
    expect(failed.map((e) => e.details)).toEqual(
      [1, 2, 1, 2, 3].map((failures) => ({ reason: 'wrong current password (change password)', failures })),
    );
    expect(events.filter((e) => e.action === 'account_locked')).toHaveLength(1);
    expect(events.at(-1)?.details).toEqual({ reason: 'locked' });
  });

  it('does not check the current password at all while the account is locked', async () => {
    const email = 'sofia.kowalska@rnb.demo.tessera.invalid';
    const password = 'tessera-demo-2026';
    const here = new HttpSession(t.url);
    await here.signIn(email, password);
    const attacker = new HttpSession(t.url);
    for (let i = 0; i < 3; i++) await attacker.postForm('/sign-in', { email, password: `wrong-${i}` });
    const refused = await here.postForm('/account/password', {
      current: password,
      password: 'a-new-long-password',
      confirm: 'a-new-long-password',
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('This account is locked');
    expect((await attacker.postForm('/sign-in', { email, password: 'a-new-long-password' })).status).toBe(400);
  });

  it('limits password-change attempts per network, like sign-in', async () => {
    const strict = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const { email, password } = demoUser('learner');
      const browser = new HttpSession(strict.url);
      await browser.signIn(email, password);
      const attempt = () =>
        browser.postForm('/account/password', { current: 'guess', password: 'a-new-long-password', confirm: 'x' });
      expect((await attempt()).status).toBe(400);
      expect((await attempt()).status).toBe(400);
      expect((await attempt()).status).toBe(429);
    } finally {
      await strict.close();
    }
  });

  it('is only for people who are signed in', async () => {
    const response = await new HttpSession(t.url).get('/account/password');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);
  });
});
