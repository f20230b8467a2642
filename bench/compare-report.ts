/** The comparison as Markdown (table + one ratio per line) and as an SVG chart. */
import type { CompareResults, DesignName, Measurement } from './compare.js';
import { benchTargets, formatTargets } from './targets.js';

const COLORS: Record<DesignName, string> = { 'fanin-streams': '#2563eb', 'fanin-lists': '#16a34a', bullmq: '#dc2626', polling: '#9333ea', bare: '#6b7280', 'fanin-streams-1p': '#0891b2', 'fanin-streams-2p': '#0e7490' };

function by(ms: Measurement[], d: DesignName): Measurement | undefined {
  return ms.find((m) => m.design === d);
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a';
}

const row = (m: Measurement) =>
  `| ${m.design} | ${m.experimentsPerSec} | ${m.p50Ms.toFixed(1)} | ${m.p99Ms.toFixed(1)} | ${m.maxMs.toFixed(1)} | ${m.redisCommandsPerExperiment} | ${m.nodeCpuMsPerExperiment} | ${m.redisCpuMsPerExperiment} | ${m.failed} |`;
const HEADER = ['| design | experiments/s | p50 ms | p99 ms | max ms | Redis cmds/exp | Node CPU ms/exp | Redis CPU ms/exp | failed |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|'];

/** fanin streams with its workers in 1 and 2 processes per stage: Node CPU summed over every process. */
function processesMarkdown(r: CompareResults): string[] {
  if (!r.processes?.length) return [];
  const one = by(r.processes, 'fanin-streams-1p');
  const two = by(r.processes, 'fanin-streams-2p');
  return [
    '',
    'worker processes: fanin streams with `fanin worker --processes N` per stage (5 stages → 5N worker processes), the orchestrator in the driver; Node CPU ms/exp summed over the driver and every worker process',
    '',
    ...HEADER,
    ...r.processes.map(row),
    '',
    `throughput 2 processes/1 process: ${ratio(two?.experimentsPerSec, one?.experimentsPerSec)}`,
  ];
}

export function compareMarkdown(r: CompareResults): string {
  const rows = r.main.map(row);
  const s = by(r.main, 'fanin-streams');
  const p = by(r.main, 'polling');
  const bare = by(r.main, 'bare');
  const rb = 'skipped' in r.redisBenchmark ? r.redisBenchmark.skipped : `SET ${r.redisBenchmark.set} req/s, GET ${r.redisBenchmark.get} req/s`;
  const lines = [
    `16 experiments in flight, fan-out 4 (9 tasks), zero-work agents that check their inputs; median of ${r.repetitions} rotated repetitions; Node ${r.node}, Redis ${r.redis}`,
    '',
    ...HEADER,
    ...rows,
    '',
    `throughput streams/polling: ${ratio(s?.experimentsPerSec, p?.experimentsPerSec)} (no target)`,
    `bare/streams: ${ratio(bare?.experimentsPerSec, s?.experimentsPerSec)}`,
    `redis-benchmark -P 1 on the same Redis: ${rb}`,
    ...processesMarkdown(r),
  ];
  for (const [title, ms, key] of [
    ['concurrency (fan-out 4)', r.scaling.concurrency, 'concurrency'],
    ['fan-out width (16 in flight)', r.scaling.fanOut, 'fanOut'],
  ] as const) {
    if (ms.length === 0) continue;
    const xs = [...new Set(ms.map((m) => m[key]))].sort((a, b) => a - b);
    const designs = [...new Set(ms.map((m) => m.design))];
    lines.push('', `scaling by ${title}: experiments/s (p99 ms)`, '', `| design | ${xs.join(' | ')} |`, `|---|${xs.map(() => '---:').join('|')}|`);
    for (const d of designs) {
      lines.push(`| ${d} | ${xs.map((x) => { const m = ms.find((y) => y.design === d && y[key] === x); return m ? `${m.experimentsPerSec} (${m.p99Ms.toFixed(0)})` : '-'; }).join(' | ')} |`);
    }
  }
  lines.push('', 'targets (issue 16; the ratios within this run):', '', ...formatTargets(benchTargets(r)));
  return lines.join('\n');
}

/** Two panels: throughput and p99 against concurrency, one line per design (log scales). */
export function compareSvg(r: CompareResults): string {
  const ms = r.scaling.concurrency.length ? r.scaling.concurrency : r.main;
  const designs = [...new Set(ms.map((m) => m.design))];
  const xs = [...new Set(ms.map((m) => m.concurrency))].sort((a, b) => a - b);
  const W = 420;
  const H = 260;
  const pad = { l: 60, r: 20, t: 30, b: 40 };
  const panel = (ox: number, metric: 'experimentsPerSec' | 'p99Ms', title: string): string => {
    const vals = ms.map((m) => Math.max(0.1, m[metric]));
    const lo = Math.log10(Math.min(...vals));
    const hi = Math.log10(Math.max(...vals)) + 0.05;
    const xPos = (x: number) => ox + pad.l + (xs.length === 1 ? 0.5 : xs.indexOf(x) / (xs.length - 1)) * (W - pad.l - pad.r);
    const yPos = (v: number) => pad.t + (1 - (Math.log10(Math.max(0.1, v)) - lo) / Math.max(0.01, hi - lo)) * (H - pad.t - pad.b);
    const parts = [`<text x="${ox + W / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${title}</text>`];
    parts.push(`<line x1="${ox + pad.l}" y1="${H - pad.b}" x2="${ox + W - pad.r}" y2="${H - pad.b}" stroke="#999"/>`, `<line x1="${ox + pad.l}" y1="${pad.t}" x2="${ox + pad.l}" y2="${H - pad.b}" stroke="#999"/>`);
    for (const x of xs) parts.push(`<text x="${xPos(x)}" y="${H - pad.b + 16}" text-anchor="middle" font-size="11">${x}</text>`);
    for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
      const v = 10 ** e;
      if (Math.log10(v) < lo || Math.log10(v) > hi) continue;
      parts.push(`<text x="${ox + pad.l - 6}" y="${yPos(v) + 4}" text-anchor="end" font-size="10">${v}</text>`, `<line x1="${ox + pad.l}" y1="${yPos(v)}" x2="${ox + W - pad.r}" y2="${yPos(v)}" stroke="#eee"/>`);
    }
    parts.push(`<text x="${ox + W / 2}" y="${H - 6}" text-anchor="middle" font-size="11">experiments in flight</text>`);
    for (const d of designs) {
      const pts = xs.map((x) => ms.find((m) => m.design === d && m.concurrency === x)).filter((m): m is Measurement => !!m);
      parts.push(`<polyline fill="none" stroke="${COLORS[d]}" stroke-width="2" points="${pts.map((m) => `${xPos(m.concurrency)},${yPos(m[metric])}`).join(' ')}"/>`);
      for (const m of pts) parts.push(`<circle cx="${xPos(m.concurrency)}" cy="${yPos(m[metric])}" r="3" fill="${COLORS[d]}"><title>${d} @${m.concurrency}: ${m[metric]}</title></circle>`);
    }
    return parts.join('');
  };
  const legend = designs.map((d, i) => `<rect x="${20 + i * 150}" y="${H + 8}" width="12" height="12" fill="${COLORS[d]}"/><text x="${36 + i * 150}" y="${H + 18}" font-size="12">${d}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 30}" font-family="sans-serif">${panel(0, 'experimentsPerSec', 'throughput (experiments/s, log)')}${panel(W, 'p99Ms', 'p99 end-to-end (ms, log)')}${legend}</svg>\n`;
}
