// Article resources are written in Markdown by educators; this turns them into HTML safe to put in a page as-is.

import markdownIt, { type MarkdownIt, type StateCore, type Token } from 'markdown-it';

// Schemes a link or image may use; anything else (javascript:, vbscript:, data:, file:…) is left as plain text.
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

/**
 * Whether a link target is safe to follow. Browsers ignore ASCII whitespace and control characters inside a
 * scheme ('java\tscript:'), and markdown-it has already percent-encoded them ('java%09script:'), so the target is
 * decoded and they are removed before the scheme is read; a target with no scheme is relative.
 */
function safeLink(url: string): boolean {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // A malformed escape is not decodable by a browser either; read the target as it is.
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is being removed
  const compact = decoded.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  return scheme === null || SAFE_SCHEMES.has(scheme[1] ?? '');
}

function isExternal(href: string): boolean {
  return /^(https?:)?\/\//i.test(href.trim());
}

const ALIGN_CLASS: Record<string, string> = {
  left: 'nhsuk-u-text-align-left',
  center: 'nhsuk-u-text-align-centre',
  right: 'nhsuk-u-text-align-right',
};

/** NHS.UK classes on tables and lists, and an alignment class in place of the inline style markdown-it writes. */
function classify(token: Token, inHead: boolean): void {
  const classes: Record<string, string> = {
    table_open: 'nhsuk-table',
    thead_open: 'nhsuk-table__head',
    tbody_open: 'nhsuk-table__body',
    tr_open: 'nhsuk-table__row',
    th_open: 'nhsuk-table__header',
    td_open: 'nhsuk-table__cell',
    bullet_list_open: 'nhsuk-list nhsuk-list--bullet',
    ordered_list_open: 'nhsuk-list nhsuk-list--number',
  };
  const name = classes[token.type];
  if (name === undefined) return;
  token.attrJoin('class', name);
  if (token.type === 'th_open' || token.type === 'td_open') {
    const align = /text-align:(\w+)/.exec(String(token.attrGet('style') ?? ''))?.[1];
    if (align !== undefined && ALIGN_CLASS[align] !== undefined) token.attrJoin('class', ALIGN_CLASS[align]);
    token.attrs = (token.attrs ?? []).filter(([attr]) => attr !== 'style');
    if (token.type === 'th_open' && inHead) token.attrSet('scope', 'col');
  }
}

/** Marks links, shifts headings so the article's top level is h2 and adds the NHS.UK classes. */
function articleRule(state: StateCore): void {
  const levels = state.tokens.filter((t) => t.type === 'heading_open').map((t) => Number(t.tag.slice(1)));
  const shift = levels.length === 0 ? 0 : 2 - Math.min(...levels);
  let inHead = false;
  for (const token of state.tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close') {
      token.tag = `h${Math.min(6, Math.max(2, Number(token.tag.slice(1)) + shift))}`;
    }
    if (token.type === 'thead_open') inHead = true;
    if (token.type === 'thead_close') inHead = false;
    classify(token, inHead);
    for (const child of token.children ?? []) {
      if (child.type !== 'link_open') continue;
      child.attrSet('rel', isExternal(String(child.attrGet('href') ?? '')) ? 'noopener noreferrer' : 'noopener');
    }
  }
}

function createRenderer(): MarkdownIt {
  // html: false escapes raw HTML instead of passing it through, so <script> and onerror= arrive as text.
  const md = markdownIt({ html: false, linkify: true, typographer: false });
  md.validateLink = safeLink;
  md.core.ruler.push('tessera_article', articleRule);
  // Wide tables scroll sideways inside their container instead of widening the page.
  md.renderer.rules.table_open = (tokens, idx, options, _env, self) =>
    `<div class="nhsuk-table-container">\n${self.renderToken(tokens, idx, options)}`;
  md.renderer.rules.table_close = (tokens, idx, options, _env, self) =>
    `${self.renderToken(tokens, idx, options)}</div>\n`;
  return md;
}

const renderer = createRenderer();

/**
 * An article's Markdown as HTML to place under the page's h1: raw HTML is shown as text, never run; links and
 * images to schemes other than http(s), mailto and tel stay plain text; bare http(s) URLs and email addresses
 * become links; every link has
 * rel="noopener" (external ones also "noreferrer"); the top heading level becomes h2; tables and lists carry the
 * NHS.UK classes.
 */
export function renderArticle(markdown: string): string {
  return renderer.render(markdown);
}
