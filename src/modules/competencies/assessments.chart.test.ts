import { describe, expect, it } from 'vitest';
import { escapeXml, levelBarChart, levelText, wrapLabel, type LevelChart } from './assessments.chart.js';

const SCALE = [
  { value: 0, label: 'Not yet' },
  { value: 1, label: 'Foundation' },
  { value: 2, label: 'Intermediate' },
  { value: 3, label: 'Proficient' },
  { value: 4, label: 'Expert' },
];

const chart: LevelChart = {
  id: 'c',
  title: 'Your level in each domain, 3 May 2026',
  categories: ['Digital identity, wellbeing, safety and security', 'Data <and> "content"', 'Research'],
  scale: SCALE,
  latest: { label: '3 May 2026', levels: [2.4, 4, null] },
};

/** The bars drawn (rect elements with a height of one bar), as [width, fill]. */
function bars(svg: string): [number, string][] {
  return [...svg.matchAll(/<rect x="230" y="[\d.]+" width="([\d.]+)" height="22" fill="([^"]+)"/g)].map((m) => [
    Number(m[1]),
    m[2] ?? '',
  ]);
}

describe('the level bar chart', () => {
  it('is an image named by its title and described in words, every level included', () => {
    const svg = levelBarChart(chart);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 600 \d+" width="100%" role="img"/);
    expect(svg).toContain('aria-labelledby="c-title c-desc"');
    expect(svg).toContain('<title id="c-title">Your level in each domain, 3 May 2026</title>');
    expect(svg).toContain(
      '<desc id="c-desc">Bar chart of your level in each domain on a scale from 0 (Not yet) to 4 (Expert). ' +
        'Digital identity, wellbeing, safety and security: 2.4; Data &lt;and&gt; &quot;content&quot;: 4; Research: not answered.</desc>',
    );
    expect(svg).not.toContain('style=');
  });

  it('draws bars in proportion to the level, labels each with its number, and says when one is missing', () => {
    const svg = levelBarChart(chart);
    expect(bars(svg)).toEqual([
      [192, '#005eb8'],
      [320, '#005eb8'],
    ]);
    expect(svg).toContain('font-weight="bold" fill="#212b32">2.4</text>');
    expect(svg).toContain('font-weight="bold" fill="#212b32">4</text>');
    expect(svg).toContain('>Not answered</text>');
    // The axis: a tick and a label for every point of the scale.
    for (const point of SCALE) expect(svg).toContain(`>${point.label}</text>`);
    expect(svg).toContain('>Level</text>');
  });

  it('wraps long category names onto lines and escapes them', () => {
    const svg = levelBarChart(chart);
    expect(svg).toContain(
      '<tspan x="218" dy="0">Digital identity, wellbeing,</tspan><tspan x="218" dy="18">safety and security</tspan>',
    );
    expect(svg).toContain('Data &lt;and&gt; &quot;content&quot;');
    expect(svg).not.toContain('<and>');
  });

  it('compares with an earlier result: hatched bars above the latest, a legend, and both levels described', () => {
    const svg = levelBarChart({ ...chart, previous: { label: '1 March 2026', levels: [1, 3.5, 2] } });
    expect(svg).toContain('<pattern id="c-hatch"');
    expect(bars(svg)).toEqual([
      [80, 'url(#c-hatch)'],
      [192, '#005eb8'],
      [280, 'url(#c-hatch)'],
      [320, '#005eb8'],
      [160, 'url(#c-hatch)'],
    ]);
    expect(svg).toContain('>Earlier: 1 March 2026</text>');
    expect(svg).toContain('>This time: 3 May 2026</text>');
    expect(svg).toContain(
      ', compared with 1 March 2026. Digital identity, wellbeing, safety and security: 2.4 (1 on 1 March 2026);',
    );
    expect(svg).toContain('Research: not answered (2 on 1 March 2026).');
  });

  it('keeps bars within the axis whatever the level', () => {
    const svg = levelBarChart({ ...chart, latest: { label: 'x', levels: [-3, 9, 0] } });
    expect(bars(svg).map(([width]) => width)).toEqual([0, 320, 0]);
  });
});

describe('chart helpers', () => {
  it('wraps at word boundaries, at most three lines', () => {
    expect(wrapLabel('Communication, collaboration and participation')).toEqual([
      'Communication, collaboration',
      'and participation',
    ]);
    expect(wrapLabel('a '.repeat(60), 10)).toHaveLength(3);
    expect(wrapLabel('a '.repeat(60), 10)[2]).toMatch(/…$/);
  });

  it('writes levels with one decimal place only when needed, and escapes markup', () => {
    expect(levelText(2)).toBe('2');
    expect(levelText(2.25)).toBe('2.3');
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  });
});
