import { describe, expect, it } from 'vitest';
import { renderArticle } from './articles.markdown.js';

/** The href of every anchor in the HTML. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1] ?? '');
}

/** The src of every image in the HTML. */
function srcs(html: string): string[] {
  return [...html.matchAll(/<img [^>]*src="([^"]*)"/g)].map((m) => m[1] ?? '');
}

/** The names of every attribute of every element, read as a browser would (values are double-quoted). */
function attributeNames(html: string): string[] {
  const names: string[] = [];
  for (const tag of html.matchAll(/<[a-z][a-z0-9]*((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/gi)) {
    for (const attr of (tag[1] ?? '').matchAll(/\s+([^\s=>]+)(?:="[^"]*")?/g)) names.push(attr[1] ?? '');
  }
  return names;
}

describe('rendering an article', () => {
  it('shows raw HTML as text: no script element, no event handler attribute', () => {
    const html = renderArticle(
      'Before\n\n<script>alert(1)</script>\n\n<img src="x" onerror="alert(1)">\n\nInline <b onmouseover="alert(1)">b</b>',
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b /i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=&quot;x&quot; onerror=&quot;alert(1)&quot;&gt;');
    expect(attributeNames(html)).toEqual([]);
  });

  it('does not let an attribute break out of a link or image written in Markdown', () => {
    const html = renderArticle('[x](https://example.org/" onerror="alert(1)) ![a" onerror="alert(1)](/i.png)');
    expect(new Set(attributeNames(html))).toEqual(new Set(['href', 'rel', 'src', 'alt']));
    expect(html).toContain('alt="a&quot; onerror=&quot;alert(1)"');
  });

  it('leaves javascript:, vbscript:, file: and data: links and images as plain text', () => {
    const attacks = [
      '[a](javascript:alert(1))',
      '[b](JaVaScRiPt:alert(1))',
      '[c](java&#x09;script:alert(1))',
      '[d](java%0Ascript:alert(1))',
      '[e](&#106;avascript:alert(1))',
      '[f](vbscript:msgbox(1))',
      '[g](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[h](file:///etc/passwd)',
      '![i](data:image/png;base64,iVBORw0KGgo=)',
      '![j](data:image/svg+xml;base64,PHN2Zy8+)',
      '<javascript:alert(1)>',
      '[k][ref]\n\n[ref]: javascript:alert(1)',
    ];
    for (const attack of attacks) {
      const html = renderArticle(attack);
      expect(hrefs(html), attack).toEqual([]);
      expect(srcs(html), attack).toEqual([]);
      expect(html, attack).not.toMatch(/(href|src)=/);
    }
  });

  it('keeps ordinary links and images', () => {
    const html = renderArticle(
      '[guide](https://www.nhs.uk/conditions/) [next](/catalogue/2) [top](#top) [mail](mailto:learning@example.nhs.uk) ![Hand washing steps](/media/hands.png)',
    );
    expect(hrefs(html)).toEqual([
      'https://www.nhs.uk/conditions/',
      '/catalogue/2',
      '#top',
      'mailto:learning@example.nhs.uk',
    ]);
    expect(html).toContain('<img src="/media/hands.png" alt="Hand washing steps">');
  });

  it('gives every link rel="noopener", and external ones "noopener noreferrer"', () => {
    const html = renderArticle('[in](/catalogue/2) [out](https://example.org/page) [proto](//example.org/x)');
    expect(html).toContain('<a href="/catalogue/2" rel="noopener">in</a>');
    expect(html).toContain('<a href="https://example.org/page" rel="noopener noreferrer">out</a>');
    expect(html).toContain('<a href="//example.org/x" rel="noopener noreferrer">proto</a>');
  });

  it('turns bare web addresses into links', () => {
    const html = renderArticle('Read https://www.nhs.uk/mental-health/ today.');
    expect(html).toContain(
      '<a href="https://www.nhs.uk/mental-health/" rel="noopener noreferrer">https://www.nhs.uk/mental-health/</a>',
    );
  });

  it('makes the article’s top heading level h2, keeping the levels below it in step', () => {
    expect(renderArticle('# Title\n\n## Part\n\n### Detail')).toBe('<h2>Title</h2>\n<h3>Part</h3>\n<h4>Detail</h4>\n');
    expect(renderArticle('### Starts low\n\n#### Under it')).toBe('<h2>Starts low</h2>\n<h3>Under it</h3>\n');
    expect(renderArticle('# A\n\n###### Deep')).toBe('<h2>A</h2>\n<h6>Deep</h6>\n');
  });

  it('gives tables the NHS.UK table classes, header scope and alignment classes instead of inline styles', () => {
    const html = renderArticle('| Subject | Years |\n|:--|--:|\n| Fire safety | 1 |\n| Moving and handling | 3 |');
    expect(html).toContain('<div class="nhsuk-table-container">\n<table class="nhsuk-table">');
    expect(html).toContain('<thead class="nhsuk-table__head">');
    expect(html).toContain('<tbody class="nhsuk-table__body">');
    expect(html).toContain('<th class="nhsuk-table__header nhsuk-u-text-align-left" scope="col">Subject</th>');
    expect(html).toContain('<td class="nhsuk-table__cell nhsuk-u-text-align-right">3</td>');
    expect(html.match(/<tr class="nhsuk-table__row">/g)).toHaveLength(3);
    expect(html).not.toContain('style=');
    expect(html.trim().endsWith('</table>\n</div>')).toBe(true);
  });

  it('gives bulleted and numbered lists the NHS.UK list classes', () => {
    const html = renderArticle('- Gloves\n- Apron\n\n1. Wash\n2. Dry');
    expect(html).toContain('<ul class="nhsuk-list nhsuk-list--bullet">\n<li>Gloves</li>');
    expect(html).toContain('<ol class="nhsuk-list nhsuk-list--number">\n<li>Wash</li>');
  });

  it('keeps quotes and dashes as typed', () => {
    expect(renderArticle('"Quoted" -- (c)')).toBe('<p>&quot;Quoted&quot; -- (c)</p>\n');
  });
});
