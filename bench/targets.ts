/**
 * The targets `npm run bench` is judged by (issue 16), one printed line each, of the form
 * `throughput streams/BullMQ: 1.83× (target ≥ 2.5×)` — the figure measured in this run and the
 * target beside it — and a last line counting the targets met. Ratios compare designs measured
 * in the same run (the machine is shared, so only those are comparable); commands and Node CPU
 * per experiment are fanin streams' own figures.
 */
import type { CompareResults, DesignName, Measurement } from './compare.js';

export interface Target {
  /** what is measured, e.g. `throughput streams/BullMQ` */
  name: string;
  /** the figure of this run (undefined when a design it needs did not run) */
  value: number | undefined;
  /** `≥` the figure must reach the bound, `≤` stay at or under it */
  op: '≥' | '≤';
  bound: number;
  /** how the figure and the bound are written: `×` ratio, ` ms`, or '' (a count) */
  unit: '×' | ' ms' | '';
}

function pick(ms: readonly Measurement[], design: DesignName, fanOut?: number): Measurement | undefined {
  return ms.find((m) => m.design === design && (fanOut === undefined || m.fanOut === fanOut));
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
}

/** Today's targets, evaluated on one run's measurements. */
export function benchTargets(r: Pick<CompareResults, 'main' | 'scaling'>): Target[] {
  const s = pick(r.main, 'fanin-streams');
  const l = pick(r.main, 'fanin-lists');
  const b = pick(r.main, 'bullmq');
  const bare = pick(r.main, 'bare');
  const s64 = pick(r.scaling.fanOut, 'fanin-streams', 64);
  const b64 = pick(r.scaling.fanOut, 'bullmq', 64);
  return [
    { name: 'throughput streams/BullMQ', value: ratio(s?.experimentsPerSec, b?.experimentsPerSec), op: '≥', bound: 2.5, unit: '×' },
    { name: 'p99 streams/BullMQ', value: ratio(s?.p99Ms, b?.p99Ms), op: '≤', bound: 0.5, unit: '×' },
    { name: 'throughput lists/streams', value: ratio(l?.experimentsPerSec, s?.experimentsPerSec), op: '≥', bound: 0.8, unit: '×' },
    { name: 'throughput streams/bare', value: ratio(s?.experimentsPerSec, bare?.experimentsPerSec), op: '≥', bound: 0.5, unit: '×' },
    { name: 'Redis commands/exp streams', value: s?.redisCommandsPerExperiment, op: '≤', bound: 90, unit: '' },
    { name: 'Node CPU/exp streams', value: s?.nodeCpuMsPerExperiment, op: '≤', bound: 0.6, unit: ' ms' },
    { name: 'throughput at fan-out 64 streams/BullMQ', value: ratio(s64?.experimentsPerSec, b64?.experimentsPerSec), op: '≥', bound: 2, unit: '×' },
  ];
}

export function targetMet(t: Target): boolean | undefined {
  if (t.value === undefined) return undefined;
  return t.op === '≥' ? t.value >= t.bound : t.value <= t.bound;
}

function figure(v: number, unit: Target['unit']): string {
  if (unit === '×') return `${v.toFixed(2)}×`;
  if (unit === ' ms') return `${v.toFixed(3)} ms`;
  return `${+v.toFixed(1)}`;
}

/** One line per target, `<name>: <figure> (target <op> <bound>)`, then `targets met: n of m`. */
export function formatTargets(targets: readonly Target[]): string[] {
  const lines = targets.map((t) => `${t.name}: ${t.value === undefined ? 'n/a' : figure(t.value, t.unit)} (target ${t.op} ${t.bound}${t.unit})`);
  const judged = targets.filter((t) => targetMet(t) !== undefined);
  lines.push(`targets met: ${judged.filter((t) => targetMet(t)).length} of ${judged.length}${judged.length < targets.length ? ` (${targets.length - judged.length} not measured in this run)` : ''}`);
  return lines;
}
