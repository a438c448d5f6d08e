// A horizontal bar chart of levels per domain, drawn on the server as SVG so it shows without JavaScript. It is an
// image with a title and a description that give every number in words; the page puts a data table beside it.
// Meaning never rests on colour: an earlier result is drawn hatched and outlined, the latest solid, a legend says
// which is which, and each bar carries its number. Only presentation attributes are used (no style attribute), as
// the content security policy allows no inline styles.

/** One point of the level axis, e.g. 2 "Intermediate". */
export interface AxisPoint {
  value: number;
  label: string;
}

/** One set of bars: a level (or null: not answered) per category, in the order of the categories. */
export interface BarSeries {
  /** For the legend and the description, e.g. "12 March 2026". */
  label: string;
  levels: (number | null)[];
}

export interface LevelChart {
  /** Prefix for the ids inside the SVG; unique on the page. */
  id: string;
  title: string;
  /** The categories (domains), top to bottom. */
  categories: string[];
  /** The level axis, lowest first; bars run from the first point to the last. */
  scale: AxisPoint[];
  latest: BarSeries;
  /** An earlier result to compare with, drawn above each latest bar. */
  previous?: BarSeries;
}

const WIDTH = 600;
const PLOT_X = 230;
const PLOT_WIDTH = 320;
const LABEL_CHARS = 28;
const LINE_HEIGHT = 18;
const BAR_HEIGHT = 22;
const BAR_GAP = 4;
const ROW_PADDING = 16;
const BLUE = '#005eb8';
const TEXT = '#212b32';
const GRID = '#aeb7bd';

/** Escapes text for SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Splits a label into lines of at most `width` characters (a longer word stays whole), at most three lines. */
export function wrapLabel(label: string, width = LABEL_CHARS): string[] {
  const lines: string[] = [];
  for (const word of label.trim().split(/\s+/)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  if (lines.length <= 3) return lines;
  return [
    ...lines.slice(0, 2),
    `${lines
      .slice(2)
      .join(' ')
      .slice(0, width - 1)}…`,
  ];
}

/** A level as the chart writes it: one decimal place when it has one. */
export function levelText(level: number): string {
  return Number.isInteger(level) ? String(level) : level.toFixed(1);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** The description read out with the chart: every category's level in words. */
function describe(chart: LevelChart): string {
  const low = chart.scale[0];
  const high = chart.scale[chart.scale.length - 1];
  const range =
    low === undefined || high === undefined
      ? ''
      : ` on a scale from ${levelText(low.value)} (${low.label}) to ${levelText(high.value)} (${high.label})`;
  const parts = chart.categories.map((category, i) => {
    const now = chart.latest.levels[i] ?? null;
    const nowText = now === null ? 'not answered' : levelText(now);
    if (chart.previous === undefined) return `${category}: ${nowText}`;
    const then = chart.previous.levels[i] ?? null;
    return `${category}: ${nowText} (${then === null ? 'not answered' : levelText(then)} on ${chart.previous.label})`;
  });
  const comparing = chart.previous === undefined ? '' : `, compared with ${chart.previous.label}`;
  return `Bar chart of your level in each domain${range}${comparing}. ${parts.join('; ')}.`;
}

/** The chart as an SVG element to put straight into the page. */
export function levelBarChart(chart: LevelChart): string {
  const id = chart.id;
  const low = chart.scale[0]?.value ?? 0;
  const high = chart.scale[chart.scale.length - 1]?.value ?? 1;
  const span = high > low ? high - low : 1;
  const xOf = (level: number) => PLOT_X + ((clamp(level, low, high) - low) / span) * PLOT_WIDTH;
  const series = chart.previous === undefined ? [chart.latest] : [chart.previous, chart.latest];
  const parts: string[] = [];

  let y = 10;
  if (chart.previous !== undefined) {
    const legend = [
      { fill: `url(#${id}-hatch)`, text: `Earlier: ${chart.previous.label}` },
      { fill: BLUE, text: `This time: ${chart.latest.label}` },
    ];
    legend.forEach((entry, i) => {
      const x = 2 + i * 290;
      parts.push(
        `<rect x="${x}" y="${y}" width="18" height="18" fill="${entry.fill}" stroke="${BLUE}" stroke-width="2"/>`,
        `<text x="${x + 26}" y="${y + 14}" font-size="15" fill="${TEXT}">${escapeXml(entry.text)}</text>`,
      );
    });
    y += 36;
  }

  const top = y;
  const rows: string[] = [];
  chart.categories.forEach((category, i) => {
    const lines = wrapLabel(category);
    const barsHeight = series.length * BAR_HEIGHT + (series.length - 1) * BAR_GAP;
    const rowHeight = Math.max(barsHeight, lines.length * LINE_HEIGHT) + ROW_PADDING;
    const middle = y + rowHeight / 2;
    const firstLine = middle - ((lines.length - 1) * LINE_HEIGHT) / 2 + 5;
    rows.push(
      `<text x="${PLOT_X - 12}" y="${firstLine}" text-anchor="end" font-size="15" fill="${TEXT}">${lines
        .map((line, n) => `<tspan x="${PLOT_X - 12}" dy="${n === 0 ? 0 : LINE_HEIGHT}">${escapeXml(line)}</tspan>`)
        .join('')}</text>`,
    );
    let barY = middle - barsHeight / 2;
    for (const s of series) {
      const level = s.levels[i] ?? null;
      const earlier = s === chart.previous;
      if (level === null) {
        rows.push(`<text x="${PLOT_X + 6}" y="${barY + 16}" font-size="14" fill="${TEXT}">Not answered</text>`);
      } else {
        const width = Math.max(0, xOf(level) - PLOT_X);
        rows.push(
          `<rect x="${PLOT_X}" y="${barY}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${
            earlier ? `url(#${id}-hatch)` : BLUE
          }" stroke="${BLUE}" stroke-width="${earlier ? 2 : 0}"/>`,
          `<text x="${(PLOT_X + width + 6).toFixed(1)}" y="${barY + 16}" font-size="15" font-weight="${
            earlier ? 'normal' : 'bold'
          }" fill="${TEXT}">${levelText(level)}</text>`,
        );
      }
      barY += BAR_HEIGHT + BAR_GAP;
    }
    y += rowHeight;
  });
  const bottom = y;

  const grid: string[] = [];
  for (const point of chart.scale) {
    const x = xOf(point.value).toFixed(1);
    grid.push(
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${x}" y="${bottom + 20}" text-anchor="middle" font-size="15" font-weight="bold" fill="${TEXT}">${levelText(point.value)}</text>`,
      `<text x="${x}" y="${bottom + 38}" text-anchor="middle" font-size="12" fill="${TEXT}">${escapeXml(point.label)}</text>`,
    );
  }
  const height = bottom + 70;
  const axisTitle = `<text x="${PLOT_X + PLOT_WIDTH / 2}" y="${bottom + 62}" text-anchor="middle" font-size="15" fill="${TEXT}">Level</text>`;
  const axisLine = `<line x1="${PLOT_X}" y1="${top}" x2="${PLOT_X}" y2="${bottom}" stroke="${TEXT}" stroke-width="2"/>`;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false" data-qa="results-chart">`,
    `<title id="${id}-title">${escapeXml(chart.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(describe(chart))}</desc>`,
    `<defs><pattern id="${id}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="8" stroke="${BLUE}" stroke-width="3"/></pattern></defs>`,
    ...grid,
    axisLine,
    axisTitle,
    ...parts,
    ...rows,
    '</svg>',
  ].join('\n');
}
