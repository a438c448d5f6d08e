import type { Locator } from 'playwright-core';
import { Layout } from './layout.page.js';

/** The cells of a table's body rows as trimmed texts, without visually hidden words. */
async function tableRows(table: Locator): Promise<string[][]> {
  const result: string[][] = [];
  for (const row of await table.locator('tbody tr').all()) {
    const cells = await row
      .locator('td')
      .evaluateAll((tds) =>
        tds.map((td) =>
          Array.from(td.childNodes, (node: ChildNode) =>
            node instanceof HTMLElement && node.classList.contains('nhsuk-u-visually-hidden')
              ? ''
              : (node.textContent ?? ''),
          ).join(''),
        ),
      );
    result.push(cells.map((text) => text.replace(/\s+/g, ' ').trim()));
  }
  return result;
}

/** "Role profiles": the profiles the person sees, and for educators and admins the create button. */
export class RoleProfilesPage extends Layout {
  async open(): Promise<this> {
    await this.goto('/role-profiles');
    return this;
  }

  get table(): Locator {
    return this.page.locator('[data-qa="role-profiles"]');
  }

  /** The listed profiles as [name, for, owner, requirements]. */
  async rows(): Promise<string[][]> {
    return tableRows(this.table);
  }

  get createButton(): Locator {
    return this.page.locator('[data-qa="create-link"]');
  }

  async startCreate(): Promise<RoleProfileFormPage> {
    await this.navigate(() => this.createButton.click());
    return new RoleProfileFormPage(this.page);
  }
}

/** "Create a role profile" and "Change the role profile": owner, name, description, job role and staff group. */
export class RoleProfileFormPage extends Layout {
  async chooseOwner(label: string): Promise<void> {
    await this.page.getByRole('radio', { name: label, exact: true }).check();
  }

  async fill(values: { name?: string; description?: string; jobRole?: string; staffGroup?: string }): Promise<void> {
    if (values.name !== undefined) await this.page.getByLabel('Name', { exact: true }).fill(values.name);
    if (values.description !== undefined) await this.page.getByLabel('Description (optional)').fill(values.description);
    if (values.jobRole !== undefined) await this.page.getByLabel('Job role (optional)').fill(values.jobRole);
    if (values.staffGroup !== undefined) await this.page.getByLabel('Staff group (optional)').fill(values.staffGroup);
  }

  async submit(): Promise<RoleProfilePage> {
    await this.navigate(() => this.page.locator('[data-qa="role-profile-submit"]').click());
    return new RoleProfilePage(this.page);
  }
}

/** One role profile: its summary, its requirements, and for its editors the first step of adding one. */
export class RoleProfilePage extends Layout {
  /** The value of a row in the profile's summary list. */
  async summary(key: string): Promise<string> {
    const row = this.page.locator('[data-qa="role-profile-summary"] .nhsuk-summary-list__row', {
      has: this.page.locator('dt', { hasText: key }),
    });
    return ((await row.locator('dd').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The requirements as [framework, item, level] (and an empty action cell for editors). */
  async requirements(): Promise<string[][]> {
    if ((await this.page.locator('[data-qa="requirements"]').count()) === 0) return [];
    return (await tableRows(this.page.locator('[data-qa="requirements"]'))).map((row) => row.slice(0, 3));
  }

  /** Chooses a framework under "Add a requirement" and continues to the item and level. */
  async addRequirementFrom(frameworkTitle: string): Promise<RequirementPage> {
    const select = this.page.getByLabel('Framework', { exact: true });
    const value = await select.locator('option', { hasText: frameworkTitle }).first().getAttribute('value');
    await select.selectOption(value ?? '');
    await this.navigate(() => this.page.locator('[data-qa="choose-framework"]').click());
    return new RequirementPage(this.page);
  }

  async removeRequirement(code: string): Promise<void> {
    const row = this.page.locator('[data-qa="requirement"]', { hasText: code });
    await this.navigate(() => row.locator('[data-qa="remove-requirement"]').click());
  }
}

/** "Add a requirement", second step: the item (by its code) and the level needed. */
export class RequirementPage extends Layout {
  get itemSelect(): Locator {
    return this.page.getByLabel('Item', { exact: true });
  }

  /** The item options' texts as shown (indentation included). */
  async itemOptions(): Promise<string[]> {
    return this.itemSelect.locator('option').allTextContents();
  }

  /** Chooses the item whose option starts with this code (after any indentation). */
  async chooseItem(code: string): Promise<void> {
    const options = await this.itemSelect
      .locator('option')
      .evaluateAll((all) => all.map((o) => ({ value: o.getAttribute('value') ?? '', text: o.textContent ?? '' })));
    const option = options.find((o) => o.text.trim().startsWith(`${code} `));
    if (option === undefined) throw new Error(`No item ${code} to choose`);
    await this.itemSelect.selectOption(option.value);
  }

  async chooseLevel(label: string): Promise<void> {
    await this.page.getByLabel('Level needed').selectOption({ label });
  }

  async add(): Promise<RoleProfilePage> {
    await this.navigate(() => this.page.locator('[data-qa="add-requirement"]').click());
    return new RoleProfilePage(this.page);
  }
}

/** "My role profile": the profile that applies to the learner, why, and choosing another. */
export class MyRolePage extends RoleProfilePage {
  async open(): Promise<this> {
    await this.goto('/my-role');
    return this;
  }

  async mine(key: string): Promise<string> {
    const row = this.page.locator('[data-qa="my-role-summary"] .nhsuk-summary-list__row', {
      has: this.page.locator('dt', { hasText: key }),
    });
    return ((await row.locator('dd').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async choose(name: string): Promise<void> {
    const select = this.page.getByLabel('Role profile', { exact: true });
    const value = await select.locator('option', { hasText: name }).first().getAttribute('value');
    await select.selectOption(value ?? '');
    await this.navigate(() => this.page.locator('[data-qa="choose-role"]').click());
  }

  async clearChoice(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="clear-role"]').click());
  }
}
