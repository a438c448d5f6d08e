import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoRoleProfiles } from '../../src/seed/demo-role-profiles.js';
import { MyRolePage, RoleProfileFormPage, RoleProfilesPage } from './pages/role-profiles.page.js';
import { SignInPage } from './pages/sign-in.page.js';
import { checkPage } from './support/check-page.js';
import { demoPerson, startE2E, type E2E } from './support/e2e.js';

const RNB = 'Northbridge University Hospitals NHS Foundation Trust';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
  await seedDemoRoleProfiles(e2e.t.db, e2e.t.url);
});
afterAll(async () => e2e.close());

describe('role profiles', () => {
  it('lets an org admin build a profile with two requirements', async () => {
    const page = await e2e.signedIn('org admin');
    const list = await new RoleProfilesPage(page).open();
    expect(await list.heading.textContent()).toBe('Role profiles');
    expect(await list.rows()).toEqual([
      ['Band 5 staff nurse', 'Staff Nurse (Nursing and Midwifery Registered)', 'National', '18'],
      ['Healthcare assistant', 'Healthcare Assistant (Additional Clinical Services)', RNB, '13'],
    ]);
    await checkPage(page);

    // Sending the form without a name: the error is beside the field, and the summary links to it.
    const form = await list.startCreate();
    expect(await form.heading.textContent()).toBe('Create a role profile');
    expect(await page.getByRole('radio', { name: RNB, exact: true }).isChecked()).toBe(true);
    await checkPage(page);
    await form.fill({ jobRole: 'Theatre Practitioner' });
    await form.submit();
    expect(await form.errorSummary.isVisible()).toBe(true);
    expect(await form.fieldError('name').textContent()).toContain('Enter a name for the role profile');
    expect(await page.getByLabel('Job role (optional)').inputValue()).toBe('Theatre Practitioner');
    await checkPage(page);

    await form.fill({
      name: 'Theatre practitioner',
      description: 'Operating department practitioners and theatre nurses.',
      staffGroup: 'Allied Health Professionals',
    });
    const profile = await form.submit();
    expect(await profile.flash.textContent()).toContain('Role profile created');
    expect(await profile.heading.textContent()).toContain('Theatre practitioner');
    expect(await profile.summary('Owner')).toBe(RNB);
    expect(await profile.summary('Job role')).toBe('Theatre Practitioner');
    expect(await profile.requirements()).toEqual([]);
    await checkPage(page);

    // First requirement: a digital capability at level 3, after forgetting to pick the item.
    let step = await profile.addRequirementFrom('Digital capability for health and care');
    expect(await step.heading.textContent()).toContain('Add a requirement');
    const options = await step.itemOptions();
    expect(options).toContain('DCF.4 Technical proficiency');
    expect(options).toContain('\u00a0\u00a0\u00a0\u00a0DCF.4.1 Uses clinical and care systems');
    await checkPage(page);
    await step.chooseLevel('Level 3 – Proficient');
    await step.add();
    expect(await step.fieldError('item').textContent()).toContain('Select an item');
    await checkPage(page);
    await step.chooseItem('DCF.4.1');
    let after = await step.add();
    expect(await after.flash.textContent()).toContain('Requirement added');

    // Second: a CSTF subject at level 2.
    step = await after.addRequirementFrom('Core Skills Training Framework');
    await step.chooseItem('CSTF.IPC');
    await step.chooseLevel('Level 2');
    after = await step.add();
    const requirements = await after.requirements();
    expect(requirements.map((row) => [row[0], row[1]?.split(' ')[0], row[2]])).toEqual([
      ['Digital capability for health and care', 'DCF.4.1', 'Level 3 – Proficient'],
      ['Core Skills Training Framework: statutory and mandatory training', 'CSTF.IPC', 'Level 2'],
    ]);
    expect(requirements[0]?.[1]).toContain('Uses the clinical and care systems the role needs');
    await checkPage(page);
  });

  it('lets a learner, without JavaScript, see the profile matching their job role and choose that new one', async () => {
    const learnerPage = await e2e.newPage({ javaScriptEnabled: false });
    const { email, password } = demoPerson('learner');
    await new SignInPage(learnerPage).open();
    await new SignInPage(learnerPage).signIn(email, password);
    const mine = await new MyRolePage(learnerPage).open();
    expect(await mine.heading.textContent()).toBe('My role profile');
    expect(await mine.mine('Role profile')).toBe('Band 5 staff nurse');
    expect(await mine.mine('Why this profile')).toBe(`It matches your job role, Staff Nurse, at ${RNB}.`);
    expect(await mine.requirements()).toHaveLength(18);
    await checkPage(learnerPage);

    await mine.choose('Theatre practitioner');
    expect(await mine.flash.textContent()).toContain('Your role profile is chosen');
    expect(await mine.mine('Role profile')).toBe('Theatre practitioner');
    expect(await mine.mine('Why this profile')).toBe('You chose this role profile.');
    expect((await mine.requirements()).map((row) => row[2])).toEqual(['Level 3 – Proficient', 'Level 2']);
    await checkPage(learnerPage);

    await mine.clearChoice();
    expect(await mine.flash.textContent()).toContain('Your choice is cleared');
    expect(await mine.mine('Role profile')).toBe('Band 5 staff nurse');
    await checkPage(learnerPage);
  });

  it('shows a learner the profiles read-only, and an educator with no profile that none applies', async () => {
    const page = await e2e.signedIn('learner');
    const list = await new RoleProfilesPage(page).open();
    expect(await list.createButton.count()).toBe(0);
    await page.getByRole('link', { name: 'Band 5 staff nurse', exact: true }).click();
    await page.waitForURL(/\/role-profiles\/[0-9a-f-]{36}$/);
    expect(await page.locator('[data-qa="remove-requirement"]').count()).toBe(0);
    expect(await page.locator('[data-qa="edit-link"]').count()).toBe(0);
    await checkPage(page);

    const educator = await e2e.signedIn('educator');
    const mine = await new MyRolePage(educator).open();
    expect(await educator.locator('[data-qa="no-role-profile"]').textContent()).toContain(
      'No role profile applies to you yet.',
    );
    await mine.navigate(() => educator.locator('[data-qa="choose-role"]').click());
    expect(await mine.fieldError('profile').textContent()).toContain('Select a role profile');
    await checkPage(educator);
  });
  it('lets an org admin change a profile, remove a requirement and delete the profile', async () => {
    const page = await e2e.signedIn('org admin');
    const form = await new RoleProfilesPage(page).open().then((list) => list.startCreate());
    await form.fill({ name: 'Porter', jobRole: 'Porter' });
    const profile = await form.submit();

    // Continuing without a framework: the first step again, with the error beside the select.
    await profile.navigate(() => page.locator('[data-qa="choose-framework"]').click());
    expect(await profile.fieldError('framework').textContent()).toContain('Select a framework');
    await checkPage(page);
    const step = await profile.addRequirementFrom('Core Skills Training Framework');
    await step.chooseItem('CSTF.MH');
    const added = await step.add();
    expect((await added.requirements()).map((row) => row[2])).toEqual(['Any level']);
    await added.removeRequirement('CSTF.MH');
    expect(await added.flash.textContent()).toContain('Requirement removed');
    expect(await added.requirements()).toEqual([]);

    await added.navigate(() => page.locator('[data-qa="edit-link"]').click());
    expect(await added.heading.textContent()).toContain('Change the role profile');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Porter');
    await checkPage(page);
    const edit = new RoleProfileFormPage(page);
    await edit.fill({ name: 'Porter (Northbridge)', staffGroup: 'Estates and Ancillary' });
    const saved = await edit.submit();
    expect(await saved.flash.textContent()).toContain('Changes saved');
    expect(await saved.heading.textContent()).toContain('Porter (Northbridge)');
    expect(await saved.summary('Staff group')).toBe('Estates and Ancillary');

    await saved.navigate(() => page.locator('[data-qa="delete-link"]').click());
    expect(await saved.heading.textContent()).toBe('Delete Porter (Northbridge)?');
    await checkPage(page);
    await saved.navigate(() => page.locator('[data-qa="confirm-delete"]').click());
    const list = new RoleProfilesPage(page);
    expect(await list.flash.textContent()).toContain('Role profile deleted');
    expect((await list.rows()).map((row) => row[0])).not.toContain('Porter (Northbridge)');
    await checkPage(page);
  });
});
