/**
 * The cluster benchmark's results: the cells in their fixed order (1 master × 1, 3, 6 shards,
 * then 3 masters × 1, 3, 6), each the repetition with the median experiments/s, printed as a
 * Markdown table and kept as JSON with every repetition.
 */
import type { CellMeasurement } from './cluster-cell.js';

export interface ClusterCell {
  masters: number;
  shards: number;
}

export interface ClusterBenchSettings {
  experiments: number;
  warmup: number;
  repetitions: number;
  concurrency: number;
  transport: 'streams' | 'lists';
}

export interface ClusterRun extends CellMeasurement {
  repetition: number;
  /** 0-based position of this cell in its repetition's (rotated) order */
  position: number;
}

export interface ClusterCellResult extends CellMeasurement {
  /** experiments/s of every repetition, in repetition order */
  samplesPerSecond: number[];
}

export interface ClusterBenchResults {
  createdAt: string;
  node: string;
  redis: string;
  cpus: number;
  /** 1-minute load average when the bench started (other work on the machine skews the figures) */
  loadAverageAtStart: number;
  settings: ClusterBenchSettings;
  cells: ClusterCellResult[];
  runs: ClusterRun[];
}

export const CELLS: readonly ClusterCell[] = [1, 3].flatMap((masters) => [1, 3, 6].map((shards) => ({ masters, shards })));

/** Repetition r's order: the cells rotated by round(r·6/R), so each cell runs early and late. */
export function rotatedOrder(repetition: number, repetitions: number): ClusterCell[] {
  const offset = Math.round((repetition * CELLS.length) / repetitions) % CELLS.length;
  return CELLS.map((_, i) => CELLS[(i + offset) % CELLS.length]);
}

/** Per cell, the repetition whose experiments/s is the median (one real observation, not a mix). */
export function medianCells(runs: ClusterRun[]): ClusterCellResult[] {
  return CELLS.map(({ masters, shards }) => {
    const mine = runs.filter((r) => r.masters === masters && r.shards === shards).sort((a, b) => a.repetition - b.repetition);
    const sorted = [...mine].sort((a, b) => a.experimentsPerSecond - b.experimentsPerSecond);
    const { repetition: _r, position: _p, ...median } = sorted[Math.floor(sorted.length / 2)];
    return { ...median, samplesPerSecond: mine.map((r) => r.experimentsPerSecond) };
  });
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function formatClusterResults(r: ClusterBenchResults): string {
  const s = r.settings;
  const base = r.cells.find((c) => c.masters === 1 && c.shards === 1);
  const rows = r.cells.map((c) => {
    const ratio = base ? (c.experimentsPerSecond / base.experimentsPerSecond).toFixed(2) : '-';
    const cpu = c.perMaster.map((m) => m.redisCpuSecondsPer1000.toFixed(2)).join(' / ');
    const share = c.perMaster.map((m) => pct(m.commandShare)).join(' / ');
    return `| ${c.masters} | ${c.shards} | ${c.experimentsPerSecond} | ${ratio} | ${c.samplesPerSecond.join(', ')} | ${c.p50Ms.toFixed(1)} | ${c.p99Ms.toFixed(1)} | ${c.nodeCpuMsPerExperiment.toFixed(2)} | ${cpu} | ${share} | ${c.failed} |`;
  });
  return [
    `cluster: ${s.experiments} experiments per cell (after ${s.warmup} warm-up), ${s.concurrency} in flight, ${s.transport}, zero-work agents, default DAG (9 tasks); ` +
      `median of ${s.repetitions} rotated repetitions; Node ${r.node}, Redis ${r.redis}, ${r.cpus} CPUs (load ${r.loadAverageAtStart} at start), every master, every worker and the bench on the same CPUs`,
    '| masters | shards | experiments/s | × 1 master 1 shard | samples exp/s | p50 ms | p99 ms | Node CPU ms/exp | Redis CPU s per 1000 exp, per master | commands per master | failed |',
    '|---:|---:|---:|---:|---|---:|---:|---:|---|---|---:|',
    ...rows,
  ].join('\n');
}
