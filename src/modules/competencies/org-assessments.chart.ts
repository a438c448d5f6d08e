// Pure helpers for the organisational self-assessment pages: maturity levels from a domain's mean, the quartiles of
// other organisations' levels, and the geometry of the two server-rendered SVG charts (the views draw them; a data
// table beside each chart carries the same numbers for screen readers).

import type { ScalePoint } from './assessments.types.js';

/** A domain's mean shown to one decimal place, e.g. "2.5". */
export function formatLevel(mean: number): string {
  return mean.toFixed(1);
}

/**
 * The maturity level a domain's mean rounds down to, with its label from the scale: a mean of 2.7 is level 2. The
 * mean is the one shown (to one decimal place), so the level always agrees with what the page says.
 */
export function levelOfMean(mean: number, scale: ScalePoint[]): { level: number; label: string } {
  const values = scale.map((p) => p.value).sort((a, b) => a - b);
  const floor = Math.floor(Math.round(mean * 10) / 10 + 1e-9);
  const level = [...values].reverse().find((v) => v <= floor) ?? values[0] ?? 0;
  return { level, label: scale.find((p) => p.value === level)?.label ?? `Level ${String(level)}` };
}

/** The value at fraction p (0 to 1) of sorted values, interpolating between neighbours; values must not be empty. */
export function quantile(sorted: number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const lower = sorted[below] ?? 0;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] ?? lower;
  return Math.round((lower + (upper - lower) * (position - below)) * 10) / 10;
}

/** Median and quartiles of the values, each to one decimal place. */
export function quartiles(values: number[]): { q1: number; median: number; q3: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { q1: quantile(sorted, 0.25), median: quantile(sorted, 0.5), q3: quantile(sorted, 0.75) };
}

const WIDTH = 680;
const PLOT_LEFT = 250;
const PLOT_RIGHT = 640;
const TOP = 56;
const ROW = 44;
const BLUE = '#005eb8';
const GREY = '#4c6272';
const LIGHT = '#768692';

interface Tick {
  x: number;
  label: string;
}

interface ChartFrame {
  width: number;
  height: number;
  plotLeft: number;
  plotRight: number;
  plotTop: number;
  plotBottom: number;
  ticks: Tick[];
  legend: { x: number; y: number; fill: string; label: string; shape: 'bar' | 'dot' | 'tick' }[];
}

function frame(rows: number, maxLevel: number, legend: ChartFrame['legend']): ChartFrame & { xOf(v: number): number } {
  const xOf = (value: number) =>
    Math.round((PLOT_LEFT + ((PLOT_RIGHT - PLOT_LEFT) * Math.max(0, Math.min(value, maxLevel))) / maxLevel) * 10) / 10;
  const plotBottom = TOP + rows * ROW;
  return {
    width: WIDTH,
    height: plotBottom + 16,
    plotLeft: PLOT_LEFT,
    plotRight: PLOT_RIGHT,
    plotTop: TOP - 8,
    plotBottom,
    ticks: Array.from({ length: maxLevel + 1 }, (_, level) => ({ x: xOf(level), label: String(level) })),
    legend,
    xOf,
  };
}

export interface MaturityChart extends ChartFrame {
  rows: {
    label: string;
    labelY: number;
    bars: { x: number; y: number; width: number; height: number; fill: string; text: string; textX: number }[];
  }[];
}

/**
 * A horizontal bar chart of each domain's mean level: the latest submission as a thick blue bar and, when there
 * is one, the previous submission as a thinner grey bar beneath it.
 */
export function maturityChart(
  domains: { title: string; latest: number | null; previous: number | null }[],
  maxLevel: number,
  hasPrevious: boolean,
): MaturityChart {
  const legend: ChartFrame['legend'] = [{ x: PLOT_LEFT, y: 18, fill: BLUE, label: 'Latest', shape: 'bar' }];
  if (hasPrevious) legend.push({ x: PLOT_LEFT + 110, y: 18, fill: GREY, label: 'Previous', shape: 'bar' });
  const f = frame(domains.length, maxLevel, legend);
  const rows = domains.map((domain, i) => {
    const top = TOP + i * ROW + 6;
    const bars: MaturityChart['rows'][number]['bars'] = [];
    const bar = (value: number | null, y: number, height: number, fill: string) => {
      if (value === null) return;
      const width = Math.max(f.xOf(value) - PLOT_LEFT, 2);
      bars.push({ x: PLOT_LEFT, y, width, height, fill, text: formatLevel(value), textX: PLOT_LEFT + width + 6 });
    };
    bar(domain.latest, top, hasPrevious ? 16 : 24, BLUE);
    if (hasPrevious) bar(domain.previous, top + 19, 10, GREY);
    return { label: domain.title, labelY: top + 16, bars };
  });
  return { ...f, rows };
}

export interface ComparisonChart extends ChartFrame {
  rows: {
    label: string;
    labelY: number;
    range: { x: number; y: number; width: number; height: number } | null;
    median: { x: number; y: number; height: number } | null;
    own: { cx: number; cy: number } | null;
  }[];
}

/**
 * For each domain: the middle half of other organisations' levels (lower to upper quartile) as a grey band, their
 * median as a dark tick, and this organisation's level as a blue dot. Domains without a shown comparison have no band.
 */
export function comparisonChart(
  domains: { title: string; own: number | null; others: { q1: number; median: number; q3: number } | null }[],
  maxLevel: number,
): ComparisonChart {
  const f = frame(domains.length, maxLevel, [
    { x: PLOT_LEFT, y: 18, fill: LIGHT, label: 'Middle half of others', shape: 'bar' },
    { x: PLOT_LEFT + 200, y: 18, fill: '#212b32', label: 'Median', shape: 'tick' },
    { x: PLOT_LEFT + 300, y: 18, fill: BLUE, label: 'Yours', shape: 'dot' },
  ]);
  const rows = domains.map((domain, i) => {
    const middle = TOP + i * ROW + 18;
    const others = domain.others;
    return {
      label: domain.title,
      labelY: middle + 5,
      range:
        others === null
          ? null
          : {
              x: f.xOf(others.q1),
              y: middle - 6,
              width: Math.max(f.xOf(others.q3) - f.xOf(others.q1), 3),
              height: 12,
            },
      median: others === null ? null : { x: f.xOf(others.median) - 1.5, y: middle - 12, height: 24 },
      own: domain.own === null ? null : { cx: f.xOf(domain.own), cy: middle },
    };
  });
  return { ...f, rows };
}
