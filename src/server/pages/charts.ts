/**
 * Server-side SVG pictures: trend lines, stacked coverage bars, status donuts. Plain SVG built
 * through `html` (escaped labels), styled by classes from pages.css (no inline style: the CSP
 * forbids it), each with a <title> and a text equivalent so a screen reader reads the numbers.
 */
import { coordinate, type Html, html } from './html.js';

export interface Series {
  name: string;
  /** A CSS class from pages.css (`s-pass`, `s-fail`, ...). */
  tone: string;
  /** One value per point of `labels`; undefined leaves a gap. */
  values: ReadonlyArray<number | undefined>;
}

export interface TrendChart {
  title: string;
  labels: readonly string[];
  series: readonly Series[];
  /** Upper bound of the y axis; default: the largest value. */
  max?: number;
  /** Appended to y-axis numbers, e.g. '%'. */
  unit?: string;
}

const width = 640;
const height = 220;
const pad = { left: 40, right: 12, top: 12, bottom: 28 };

/** A line per series over shared x labels, with four grid lines and first/last labels. */
export function trendChart(chart: TrendChart): Html {
  const all = chart.series.flatMap((series) => series.values.filter((v): v is number => v !== undefined));
  const max = chart.max ?? Math.max(1, ...all);
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const count = chart.labels.length;
  const x = (index: number) => pad.left + (count <= 1 ? innerW / 2 : (index * innerW) / (count - 1));
  const y = (value: number) => pad.top + innerH - (Math.min(value, max) / max) * innerH;
  const grid = [0, 0.25, 0.5, 0.75, 1].map((fraction) => {
    const value = max * fraction;
    return html`<line class="grid" x1="${pad.left}" x2="${width - pad.right}" y1="${coordinate(y(value))}" y2="${coordinate(y(value))}"/><text class="axis" x="${pad.left - 6}" y="${coordinate(y(value) + 4)}" text-anchor="end">${Math.round(value)}${chart.unit ?? ''}</text>`;
  });
  const lines = chart.series.map((series) => {
    const segments: string[] = [];
    let current: string[] = [];
    series.values.forEach((value, index) => {
      if (value === undefined) {
        if (current.length > 0) segments.push(current.join(' '));
        current = [];
        return;
      }
      current.push(`${coordinate(x(index))},${coordinate(y(value))}`);
    });
    if (current.length > 0) segments.push(current.join(' '));
    const lastIndex = series.values.findLastIndex((value) => value !== undefined);
    const last = lastIndex >= 0 ? series.values[lastIndex] : undefined;
    return html`<g class="series ${series.tone}">${segments.map(
      (points) => html`<polyline points="${points}"/>`,
    )}${last === undefined ? '' : html`<circle cx="${coordinate(x(lastIndex))}" cy="${coordinate(y(last))}" r="3.5"/>`}</g>`;
  });
  const xLabels =
    count === 0
      ? ''
      : html`<text class="axis" x="${coordinate(x(0))}" y="${height - 8}" text-anchor="start">${chart.labels[0]}</text>${
          count > 1
            ? html`<text class="axis" x="${coordinate(x(count - 1))}" y="${height - 8}" text-anchor="end">${chart.labels[count - 1]}</text>`
            : ''
        }`;
  const legend = html`<ul class="legend">${chart.series.map(
    (series) => html`<li><span class="swatch ${series.tone}"></span>${series.name}</li>`,
  )}</ul>`;
  const summary = chart.series
    .map((series) => {
      const values = series.values.filter((v): v is number => v !== undefined);
      return `${series.name}: ${values.length > 0 ? `${values[0]} to ${values.at(-1)}${chart.unit ?? ''}` : 'no data'}`;
    })
    .join('; ');
  return html`<figure class="chart"><svg class="trend" viewBox="0 0 ${width} ${height}" role="img" aria-label="${chart.title}. ${summary}"><title>${chart.title}</title>${grid}${lines}${xLabels}</svg>${legend}</figure>`;
}

export interface Segment {
  label: string;
  tone: string;
  value: number;
}

/** A donut of segments with the total in the middle. */
export function donut(title: string, segments: readonly Segment[], centre?: string): Html {
  const total = segments.reduce((sum, segment) => sum + segment.value, 0);
  const radius = 42;
  const circumference = 2 * Math.PI * radius;
  let offset = 0;
  const arcs = segments
    .filter((segment) => segment.value > 0)
    .map((segment) => {
      const length = (segment.value / total) * circumference;
      const arc = html`<circle class="arc ${segment.tone}" cx="60" cy="60" r="${radius}" stroke-dasharray="${coordinate(length, 2)} ${coordinate(circumference - length, 2)}" stroke-dashoffset="${coordinate(-offset, 2)}"><title>${segment.label}: ${segment.value}</title></circle>`;
      offset += length;
      return arc;
    });
  const label = segments.map((segment) => `${segment.label} ${segment.value}`).join(', ');
  return html`<figure class="donut-figure"><svg class="donut" viewBox="0 0 120 120" role="img" aria-label="${title}: ${label}"><title>${title}</title><circle class="arc-track" cx="60" cy="60" r="${radius}"/><g transform="rotate(-90 60 60)">${arcs}</g><text class="donut-total" x="60" y="58" text-anchor="middle">${centre ?? String(total)}</text><text class="donut-caption" x="60" y="76" text-anchor="middle">${title}</text></svg><ul class="legend">${segments.map(
    (segment) =>
      html`<li><span class="swatch ${segment.tone}"></span>${segment.label} <strong>${segment.value}</strong></li>`,
  )}</ul></figure>`;
}

/** One horizontal stacked bar (e.g. a repository's controls by status); widths in percent. */
export function stackedBar(title: string, segments: readonly Segment[]): Html {
  const total = segments.reduce((sum, segment) => sum + segment.value, 0);
  let x = 0;
  const rects = segments
    .filter((segment) => segment.value > 0)
    .map((segment) => {
      const w = (segment.value / total) * 100;
      const rect = html`<rect class="${segment.tone}" x="${coordinate(x, 3)}" y="0" width="${coordinate(w, 3)}" height="10"><title>${segment.label}: ${segment.value}</title></rect>`;
      x += w;
      return rect;
    });
  const label = segments.map((segment) => `${segment.label} ${segment.value}`).join(', ');
  return html`<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${title}: ${total === 0 ? 'none' : label}"><title>${title}</title><rect class="bar-track" x="0" y="0" width="100" height="10"/>${rects}</svg>`;
}

/** Share of `part` in `whole` as a whole percent (0 when whole is 0). */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 100);
}
