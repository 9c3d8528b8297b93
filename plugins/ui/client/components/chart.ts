// Line charts of a day of samples: the plot is SVG, the axis labels are HTML so they stay
// readable at any width.
import { h, svg } from '../base/dom.js';

/** One line of a chart. */
export interface Series {
  label: string;
  values: (number | null)[];
  /** CSS class giving the line its colour (`s1`, `s2`, `s3`). */
  tone: string;
}

const W = 600;
const H = 160;

function points(values: (number | null)[], times: number[], t0: number, t1: number, max: number): string[] {
  const lines: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (current.length) lines.push(current.join(' '));
      current = [];
      return;
    }
    const x = t1 > t0 ? ((times[i]! - t0) / (t1 - t0)) * W : W;
    const y = H - (Math.max(0, Math.min(v, max)) / max) * H;
    current.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  if (current.length) lines.push(current.join(' '));
  return lines;
}

function timeLabel(t: number): string {
  return new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** A chart of series over time (epoch ms); `max` fixes the scale (e.g. 100 for percent). */
export function lineChart(
  title: string,
  times: number[],
  series: Series[],
  opts: { max?: number; unit?: string } = {},
): HTMLElement {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const max = opts.max ?? Math.max(1, Math.ceil(Math.max(0, ...all) * 1.2));
  const t0 = times[0] ?? Date.now();
  const t1 = times.at(-1) ?? t0;
  const grid = [0.25, 0.5, 0.75].map((f) => svg('line', { x1: 0, x2: W, y1: H * f, y2: H * f, class: 'grid' }));
  const lines = series.flatMap((s) =>
    points(s.values, times, t0, t1, max).map((p) =>
      svg('polyline', { points: p, class: `line ${s.tone}`, 'vector-effect': 'non-scaling-stroke' }),
    ),
  );
  const plot = svg(
    'svg',
    {
      viewBox: `0 0 ${W} ${H}`,
      preserveAspectRatio: 'none',
      class: 'chart-svg',
      role: 'img',
      'aria-label': `${title} chart`,
    },
    grid,
    lines,
  );
  const unit = opts.unit ?? '';
  const fmt = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)}${unit}`;
  const yAxis = h(
    'div',
    { class: 'chart-y', 'aria-hidden': 'true' },
    [1, 0.5, 0].map((f) => h('span', null, fmt(max * f))),
  );
  const xTicks = times.length > 1 ? [0, 0.25, 0.5, 0.75, 1].map((f) => timeLabel(t0 + (t1 - t0) * f)) : [];
  const legend = h(
    'ul',
    { class: 'chart-legend' },
    series.map((s) => {
      const last = [...s.values].reverse().find((v) => v !== null && Number.isFinite(v));
      return h(
        'li',
        null,
        h('span', { class: `swatch ${s.tone}`, 'aria-hidden': 'true' }),
        `${s.label}: ${last === undefined || last === null ? '—' : fmt(last)}`,
      );
    }),
  );
  return h(
    'figure',
    { class: 'chart' },
    h('figcaption', null, title),
    times.length < 2
      ? h('p', { class: 'chart-empty' }, 'Not enough samples yet: the panel records one every minute.')
      : h(
          'div',
          { class: 'chart-frame' },
          yAxis,
          h('div', { class: 'chart-plot' }, plot),
          h(
            'div',
            { class: 'chart-x', 'aria-hidden': 'true' },
            xTicks.map((t) => h('span', null, t)),
          ),
        ),
    legend,
  );
}
