// The demo supervision data: loaded once through the services, leaving the demo supervisor a request to review and
// another learner an attained competency in their record.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { demoUser } from '../../../test/helpers/demo.js';
import { HttpSession } from '../../../test/helpers/http.js';
import { DEMO_PASSWORD } from '../../seed/demo-data.js';
import { seedDemoSupervision } from '../../seed/demo-supervision.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(async () => t.close());

describe('the demo supervision data', () => {
  it('loads once, with the rest of the demo data', async () => {
    // startTestApp's seedDemo has loaded it; loading it again changes nothing.
    expect(await seedDemoSupervision(t.db, t.config.publicUrl)).toBe(false);
    const supervisions = await t.db.selectFrom('competency_supervisions').select('id').execute();
    expect(supervisions).toHaveLength(2);
  });

  it('gives the demo supervisor a request to review', async () => {
    const tom = new HttpSession(t.url);
    await tom.signIn(demoUser('supervisor').email, demoUser('supervisor').password);
    const { html } = await tom.page('/supervision');
    expect(html).toMatch(/href="\/supervision\/requests\/[0-9a-f-]{36}">CSTF.FS Fire Safety/);
    expect(html).toContain('James Carter');
  });

  it('gives Aisha Begum an attained competency with its statement in her record', async () => {
    const aisha = new HttpSession(t.url);
    await aisha.signIn('aisha.begum@rnb.demo.tessera.invalid', DEMO_PASSWORD);
    const mine = await aisha.page('/my-competencies');
    const row = /data-qa="attained-row">([\s\S]*?)<\/tr>/.exec(mine.html)?.[1] ?? '';
    expect(row).toContain('CSTF.MH Moving and Handling');
    expect(row).toContain('Grace Adeyemi');
    const record = await aisha.page('/my-learning-record');
    expect(record.html).toContain('Was confirmed competent in Moving and Handling');
  });
});
