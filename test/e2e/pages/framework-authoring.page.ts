import type { Locator } from 'playwright-core';
import { FrameworkPage } from './frameworks.page.js';
import { Layout } from './layout.page.js';

/**
 * The accessible name of an item's action: the visible words and, visually hidden, the item's name after a colon
 * ("Change: DT.1 Teaching with technology"; the browser may put a space before the colon).
 */
function actionName(action: string, item: string): RegExp {
  const quote = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${quote(action)}\\s*:\\s*${quote(item)}$`);
}

/** "Create a framework" and "Change the details": owner, title, description and the level scale's rows. */
export class FrameworkDetailsPage extends Layout {
  async open(): Promise<this> {
    await this.goto('/frameworks/new');
    return this;
  }

  /** The owner radio that is checked, by its label. */
  async chosenOwner(): Promise<string> {
    const id = (await this.page.locator('input[name="owner"]:checked').getAttribute('id')) ?? '';
    return ((await this.page.locator(`label[for="${id}"]`).textContent()) ?? '').trim();
  }

  async fill(fields: { title?: string; description?: string }): Promise<void> {
    if (fields.title !== undefined) await this.page.getByLabel('Title', { exact: true }).fill(fields.title);
    if (fields.description !== undefined) {
      await this.page.getByLabel('Description (optional)', { exact: true }).fill(fields.description);
    }
  }

  /** Fills one row of the level scale, found by its labels ("Label of level 2"). */
  async fillLevel(level: number, label: string, description = ''): Promise<void> {
    await this.page.getByLabel(`Label of level ${level}`, { exact: true }).fill(label);
    await this.page.getByLabel(`Description of level ${level} (optional)`, { exact: true }).fill(description);
  }

  /** Sends the form with its button, and waits for the next page. */
  async submit(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="framework-submit"]').click());
  }
}

/** The draft editor: the draft's summary, its tree of items with their actions, publishing and discarding. */
export class FrameworkEditorPage extends Layout {
  async open(id: string): Promise<this> {
    await this.goto(`/frameworks/${id}/edit`);
    return this;
  }

  /** The framework version's id, from the address. */
  id(): string {
    return new URL(this.page.url()).pathname.split('/')[2] ?? '';
  }

  /** The value of a row of the draft's summary list. */
  async summary(key: string): Promise<string> {
    const row = this.page.locator('[data-qa="draft-summary"] .nhsuk-summary-list__row', {
      has: this.page.locator('dt', { hasText: key }),
    });
    return ((await row.locator('dd').first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The tree as nested [text, children] of each item's first line ("DT.1 Teaching with technology"). */
  async tree(): Promise<unknown[]> {
    return this.page.locator('[data-qa="edit-tree"] > ul').evaluate((root) => {
      const read = (list: Element): unknown[] =>
        Array.from(list.children).map((li) => {
          const text = (li.querySelector(':scope > [data-qa="item-text"]')?.textContent ?? '')
            .replace(/\s+/g, ' ')
            .trim();
          const children = li.querySelector(':scope > ul.nhsuk-list--bullet');
          return children === null ? text : [text, read(children)];
        });
      return read(root);
    });
  }

  /** The editor's row for an item, by its name (code and short label or statement). */
  item(name: string): Locator {
    return this.page.locator('[data-qa="edit-item"]', {
      has: this.page.locator(':scope > [data-qa="item-text"]', { hasText: name }),
    });
  }

  async addItemAtTop(): Promise<FrameworkItemPage> {
    await this.navigate(() => this.page.locator('[data-qa="add-top-item"]').click());
    return new FrameworkItemPage(this.page);
  }

  /** Follows one of an item's action links: "Change", "Add an item under it", "Move under another item", "Delete". */
  async itemAction(action: string, name: string): Promise<void> {
    await this.navigate(() => this.page.getByRole('link', { name: actionName(action, name) }).click());
  }

  async addItemUnder(name: string): Promise<FrameworkItemPage> {
    await this.itemAction('Add an item under it', name);
    return new FrameworkItemPage(this.page);
  }

  async changeItem(name: string): Promise<FrameworkItemPage> {
    await this.itemAction('Change', name);
    return new FrameworkItemPage(this.page);
  }

  async moveItem(name: string): Promise<FrameworkMovePage> {
    await this.itemAction('Move under another item', name);
    return new FrameworkMovePage(this.page);
  }

  /** Presses an item's "Move up" or "Move down" button. */
  async moveAmongSiblings(direction: 'up' | 'down', name: string): Promise<void> {
    const label = direction === 'up' ? 'Move up' : 'Move down';
    await this.navigate(() => this.page.getByRole('button', { name: actionName(label, name) }).click());
  }

  /** Follows "Change" beside the draft's details. */
  async changeDetails(): Promise<FrameworkDetailsPage> {
    await this.navigate(() => this.page.getByRole('link', { name: /^Change\s*the details$/ }).click());
    return new FrameworkDetailsPage(this.page);
  }

  /** Follows "See the draft as others will see it" to the framework's page. */
  async viewDraft(): Promise<FrameworkPage> {
    await this.navigate(() => this.page.locator('[data-qa="view-draft"]').click());
    return new FrameworkPage(this.page);
  }

  /** Follows "Discard this draft" to the page that asks first. */
  async startDiscard(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="discard-link"]').click());
  }

  /** Publishes the draft; lands on the framework's page. */
  async publish(): Promise<FrameworkPage> {
    await this.navigate(() => this.page.locator('main [data-qa="publish"]').click());
    return new FrameworkPage(this.page);
  }
}

/** "Add an item" and "Change an item". */
export class FrameworkItemPage extends Layout {
  async fill(fields: { statement?: string; code?: string; abbreviated?: string; notes?: string }): Promise<void> {
    const labels = {
      statement: 'Statement',
      code: 'Code (optional)',
      abbreviated: 'Short label (optional)',
      notes: 'Notes (optional)',
    } as const;
    for (const [key, label] of Object.entries(labels) as [keyof typeof labels, string][]) {
      const value = fields[key];
      if (value !== undefined) await this.page.getByRole('textbox', { name: label, exact: true }).fill(value);
    }
  }

  /** Chooses a type by its label; "Another type" reveals (or, without JavaScript, shows) its name field. */
  async chooseType(label: string, other?: string): Promise<void> {
    await this.page.getByRole('radio', { name: label, exact: true }).check();
    if (other !== undefined) await this.page.getByLabel('Name of the type', { exact: true }).fill(other);
  }

  /** Ticks a level of the scale (1 for "Level 1 – Foundation") and gives its refresher period in months. */
  async tickLevel(level: number, refresherMonths?: number): Promise<void> {
    await this.page.getByRole('checkbox', { name: new RegExp(`^Level ${level} – `) }).check();
    if (refresherMonths !== undefined) {
      await this.page
        .getByLabel(`Months between refreshers for level ${level} (optional)`, { exact: true })
        .fill(String(refresherMonths));
    }
  }

  async save(): Promise<void> {
    await this.navigate(() => this.page.locator('[data-qa="item-submit"]').click());
  }
}

/** "Move an item": where it goes. */
export class FrameworkMovePage extends Layout {
  async moveUnder(label: string): Promise<void> {
    await this.page.getByLabel('Where should it go?').selectOption({ label });
    await this.navigate(() => this.page.locator('[data-qa="move-submit"]').click());
  }
}
