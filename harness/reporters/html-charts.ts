/**
 * Inline SVG charts for report.html: latency histograms and the waterfall of one run's task
 * spans. Plain SVG markup, no scripts and no external references; every text is escaped.
 */
import type { LatencySummary, Span } from '../results/types.js';
import { escapeHtml as esc } from './escape.js';
import { formatMs } from './format.js';

/** Stage colours, assigned in order of first appearance. */
const PALETTE = ['#3b6fd8', '#8e5bd6', '#1f9d8a', '#d88a1f', '#c2457a', '#5a8f29', '#6b7a8f', '#b5651d'];

function n(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '0';
}

/** A 1-2-5 step covering `range` in about `ticks` steps. */
export function niceStep(range: number, ticks: number): number {
  if (!(range > 0)) return 1;
  const raw = range / Math.max(1, ticks);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
}

function bucketLabel(le: number | null): string {
  if (le === null || !Number.isFinite(le)) return '+∞';
  if (le >= 1000 && le % 1000 === 0) return `${le / 1000}s`;
  if (le >= 1000) return `${Math.round(le / 100) / 10}s`;
  return `${le}`;
}

/** An SVG bar chart of a latency histogram (`class="histogram"`, one `hist-bar` per bucket). */
export function histogramSvg(title: string, l: LatencySummary): string {
  const W = 340;
  const H = 170;
  const left = 34;
  const right = 8;
  const top = 14;
  const bottom = 34;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const buckets = [...l.buckets].sort((a, b) => (a.le ?? Infinity) - (b.le ?? Infinity));
  const max = Math.max(0, ...buckets.map((b) => b.count));
  const parts: string[] = [
    `<svg class="histogram" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(`${title} latency histogram`)}">`,
    `<title>${esc(`${title}: ${l.count} samples, p50 ${formatMs(l.p50)}, p95 ${formatMs(l.p95)}, p99 ${formatMs(l.p99)}`)}</title>`,
  ];
  if (buckets.length === 0 || max === 0) {
    parts.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" class="chart-empty"/>`);
    parts.push(`<text x="${left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle" class="chart-note">no samples</text>`);
    parts.push('</svg>');
    return parts.join('');
  }
  const step = niceStep(max, 4);
  const yMax = Math.max(step, Math.ceil(max / step) * step);
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    const y = top + plotH - (v / yMax) * plotH;
    parts.push(`<line x1="${left}" x2="${W - right}" y1="${n(y)}" y2="${n(y)}" class="grid"/>`);
    parts.push(`<text x="${left - 4}" y="${n(y + 3)}" text-anchor="end" class="axis">${n(v)}</text>`);
  }
  const slot = plotW / buckets.length;
  const barW = Math.max(1, slot * 0.78);
  const labelEvery = Math.ceil(buckets.length / 12);
  buckets.forEach((b, i) => {
    const h = (b.count / yMax) * plotH;
    const x = left + i * slot + (slot - barW) / 2;
    const y = top + plotH - h;
    const prev = i > 0 ? buckets[i - 1]!.le : 0;
    const range = `${bucketLabel(prev)}–${bucketLabel(b.le)} ms`;
    parts.push(
      `<rect class="hist-bar" x="${n(x)}" y="${n(y)}" width="${n(barW)}" height="${n(Math.max(h, b.count > 0 ? 1 : 0))}"><title>${esc(`${range}: ${b.count}`)}</title></rect>`,
    );
    if (b.count > 0 && barW >= 12) {
      parts.push(`<text x="${n(x + barW / 2)}" y="${n(y - 3)}" text-anchor="middle" class="bar-value">${b.count}</text>`);
    }
    if (i % labelEvery === 0) {
      parts.push(`<text x="${n(x + barW / 2)}" y="${top + plotH + 12}" text-anchor="middle" class="axis">${esc(bucketLabel(b.le))}</text>`);
    }
  });
  parts.push(`<line x1="${left}" x2="${W - right}" y1="${top + plotH}" y2="${top + plotH}" class="axis-line"/>`);
  parts.push(`<text x="${left + plotW / 2}" y="${H - 4}" text-anchor="middle" class="axis-title">bucket upper bound (ms)</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** The spans in display order: by start, then stage, then index. */
export function orderSpans(spans: readonly Span[]): Span[] {
  return [...spans].sort((a, b) => a.start - b.start || a.stage.localeCompare(b.stage) || a.index - b.index);
}

/**
 * A waterfall of one run's task spans (`class="waterfall"`, one `wf-bar` per span): one row
 * per task, x = time since the first span started; labels `stage/index`.
 */
export function waterfallSvg(spans: readonly Span[]): string {
  const ordered = orderSpans(spans);
  const W = 960;
  const label = 170;
  const right = 70;
  const top = 26;
  const row = 22;
  const plotW = W - label - right;
  const H = top + Math.max(1, ordered.length) * row + 30;
  const t0 = Math.min(...ordered.map((s) => s.start));
  const tEnd = Math.max(...ordered.map((s) => Math.max(s.end, s.start)));
  const total = Math.max(1, tEnd - t0);
  const x = (t: number): number => label + ((t - t0) / total) * plotW;
  const colours = new Map<string, string>();
  for (const s of ordered) if (!colours.has(s.stage)) colours.set(s.stage, PALETTE[colours.size % PALETTE.length]!);

  const parts: string[] = [
    `<svg class="waterfall" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="waterfall of the slowest run's tasks">`,
    '<defs><pattern id="wf-open" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
      '<rect width="8" height="8" fill="#c9ced6"/><rect width="4" height="8" fill="#8b93a1"/></pattern></defs>',
  ];
  const step = niceStep(total, 8);
  for (let t = 0; t <= total + 1e-9; t += step) {
    const gx = n(x(t0 + t));
    parts.push(`<line x1="${gx}" x2="${gx}" y1="${top - 6}" y2="${H - 24}" class="grid"/>`);
    parts.push(`<text x="${gx}" y="${top - 10}" text-anchor="middle" class="axis">${esc(formatMs(t))}</text>`);
  }
  ordered.forEach((s, i) => {
    const y = top + i * row;
    const end = Math.max(s.end, s.start);
    const bx = x(s.start);
    const bw = Math.max(2, x(end) - bx);
    const fill = s.outcome === 'open' ? 'url(#wf-open)' : s.outcome === 'fail' ? '#d64545' : colours.get(s.stage)!;
    const name = `${s.stage}/${s.index}`;
    const tip = [
      `${name} — ${s.outcome}`,
      `task ${s.taskId}`,
      s.workerId ? `worker ${s.workerId}` : '',
      `start +${formatMs(s.start - t0)}, duration ${formatMs(end - s.start)}${s.outcome === 'open' ? ' (still open)' : ''}`,
    ].filter(Boolean).join('\n');
    if (i % 2 === 1) parts.push(`<rect x="0" y="${y}" width="${W}" height="${row}" class="wf-stripe"/>`);
    parts.push(`<text x="${label - 8}" y="${y + 15}" text-anchor="end" class="wf-label">${esc(name)}</text>`);
    parts.push(
      `<rect class="wf-bar wf-${s.outcome}" data-stage="${esc(s.stage)}" x="${n(bx)}" y="${y + 4}" width="${n(bw)}" height="${row - 8}" rx="2" fill="${fill}"><title>${esc(tip)}</title></rect>`,
    );
    parts.push(`<text x="${n(bx + bw + 4)}" y="${y + 15}" class="wf-dur">${esc(formatMs(end - s.start))}${s.outcome === 'fail' ? ' ✗' : s.outcome === 'open' ? ' …' : ''}</text>`);
  });
  parts.push(`<text x="${label + plotW / 2}" y="${H - 6}" text-anchor="middle" class="axis-title">time since the first task started</text>`);
  parts.push('</svg>');
  const legend = [...colours].map(([stage, c]) => `<span class="key"><i style="background:${c}"></i>${esc(stage)}</span>`);
  legend.push('<span class="key"><i style="background:#d64545"></i>failed attempt</span>');
  legend.push('<span class="key"><i class="open"></i>open (never finished)</span>');
  return `${parts.join('')}<div class="legend">${legend.join('')}</div>`;
}
