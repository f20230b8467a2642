/**
 * Macro benchmark: fanin (streams, lists) against BullMQ, the polling design and the bare streams
 * design (the near-limit: one Lua call per transition, results in the messages), side by side
 * in one run, on one fresh loopback Redis. Same DAG (pre_test → analyse × W → synthesis →
 * review × 2 → moderation), zero-work agents that check their upstream results, C experiments
 * in flight, order rotated between designs, warm-up, median of R repetitions. Then scaling in
 * concurrency (1, 4, 16, 64) and fan-out width (4, 16, 64): cell by cell, every design in turn
 * (order rotated per cell), the fan-out 64 cell the median of R rotated repetitions.
 */
import { execFileSync } from 'node:child_process';
import * as hdr from 'hdr-histogram-js';
import { Redis } from 'ioredis';
import { EmbeddedRedisProvider } from '../harness/redis/embedded.js';
import { faninDesign } from './designs/fanin-design.js';
import { faninProcessDesign } from './designs/fanin-process-design.js';
import type { Design } from './peers/design.js';
import { createPeer } from './peers/index.js';

export const DESIGNS = ['fanin-streams', 'fanin-lists', 'bullmq', 'polling', 'bare'] as const;
/** fanin streams with its workers in 1 or 2 processes per stage (`fanin worker --processes N`). */
export const PROCESS_DESIGNS = ['fanin-streams-1p', 'fanin-streams-2p'] as const;
export type DesignName = (typeof DESIGNS)[number] | (typeof PROCESS_DESIGNS)[number];

export function makeDesign(name: DesignName): Design {
  if (name === 'fanin-streams-1p') return faninProcessDesign(1);
  if (name === 'fanin-streams-2p') return faninProcessDesign(2);
  if (name === 'fanin-streams') return faninDesign('streams');
  if (name === 'fanin-lists') return faninDesign('lists');
  return createPeer(name);
}

export interface Measurement {
  design: DesignName;
  concurrency: number;
  fanOut: number;
  experiments: number;
  seconds: number;
  experimentsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  redisCommandsPerExperiment: number;
  nodeCpuMsPerExperiment: number;
  redisCpuMsPerExperiment: number;
  failed: number;
}

async function redisCpuMs(admin: Redis): Promise<number> {
  const info = await admin.info('cpu');
  const n = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (n('used_cpu_user') + n('used_cpu_sys')) * 1000;
}

async function commandCalls(admin: Redis): Promise<number> {
  const info = await admin.info('commandstats');
  let total = 0;
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info' && m[1] !== 'config') total += Number(m[2]);
  return total;
}

/** Runs experiments with `concurrency` in flight until `maxExperiments` or `maxSeconds`. */
async function drive(design: Design, prefix: string, concurrency: number, maxExperiments: number, maxSeconds: number, record?: hdr.Histogram) {
  let started = 0;
  let done = 0;
  let failed = 0;
  const deadline = performance.now() + maxSeconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < maxExperiments && performance.now() < deadline) {
        const id = `${prefix}-${++started}`;
        const t0 = performance.now();
        try {
          await design.runExperiment(id);
          record?.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
        } catch {
          failed += 1;
        }
        done += 1;
      }
    }),
  );
  return { done, failed };
}

export async function measure(
  server: { url: string },
  admin: Redis,
  name: DesignName,
  o: { concurrency: number; fanOut: number; experiments: number; seconds: number; warmupSeconds: number; tag: string },
): Promise<Measurement> {
  const design = makeDesign(name);
  await admin.flushall(); // our own fresh Redis: every design starts from an empty one
  await design.start(server.url, { fanOut: o.fanOut, prefix: `${name}-${o.tag}` });
  try {
    await drive(design, `w-${o.tag}`, o.concurrency, Number.MAX_SAFE_INTEGER, o.warmupSeconds);
    await admin.config('RESETSTAT');
    const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
    const cmd0 = await commandCalls(admin);
    const rcpu0 = await redisCpuMs(admin);
    const ncpu0 = process.cpuUsage();
    const xcpu0 = design.cpuMs?.() ?? 0;
    const t0 = performance.now();
    const { done, failed } = await drive(design, `m-${o.tag}`, o.concurrency, o.experiments, o.seconds, histogram);
    const seconds = (performance.now() - t0) / 1000;
    const ncpu = process.cpuUsage(ncpu0);
    const xcpu = (design.cpuMs?.() ?? 0) - xcpu0; // the design's worker processes
    const rcpu = (await redisCpuMs(admin)) - rcpu0;
    const cmds = (await commandCalls(admin)) - cmd0;
    const ok = Math.max(1, done - failed);
    return {
      design: name, concurrency: o.concurrency, fanOut: o.fanOut, experiments: done, seconds: +seconds.toFixed(3),
      experimentsPerSec: +(ok / seconds).toFixed(1),
      p50Ms: histogram.getValueAtPercentile(50) / 1000, p99Ms: histogram.getValueAtPercentile(99) / 1000, maxMs: histogram.maxValue / 1000,
      redisCommandsPerExperiment: +(cmds / ok).toFixed(1),
      nodeCpuMsPerExperiment: +(((ncpu.user + ncpu.system) / 1000 + xcpu) / ok).toFixed(3),
      redisCpuMsPerExperiment: +(rcpu / ok).toFixed(3),
      failed,
    };
  } finally {
    await design.stop();
  }
}

export function median(ms: Measurement[]): Measurement {
  const sorted = [...ms].sort((a, b) => a.experimentsPerSec - b.experimentsPerSec);
  return sorted[Math.floor(sorted.length / 2)];
}

/** `redis-benchmark -P 1` requests/s (SET and GET) on the same Redis, as a reference. */
export function redisBenchmark(url: string): { set: number; get: number } | { skipped: string } {
  const u = new URL(url);
  try {
    const out = execFileSync('redis-benchmark', ['-h', u.hostname, '-p', u.port, '-P', '1', '-q', '-t', 'set,get', '-n', '50000', '-c', '16'], { encoding: 'utf8' });
    const rate = (cmd: string) => Number(new RegExp(`${cmd}: ([\\d.]+) requests per second`, 'i').exec(out)?.[1] ?? NaN);
    return { set: rate('SET'), get: rate('GET') };
  } catch (err) {
    return { skipped: `redis-benchmark unavailable (Debian redis-tools): ${(err as Error).message.split('\n')[0]}` };
  }
}

interface Cell {
  concurrency: number;
  fanOut: number;
  seconds: number;
  warmupSeconds: number;
  tag: string;
}

/**
 * Each design `reps` times in one setting, the order rotated per repetition (from `shift`), so
 * every design of a cell is measured close in time to the others (this machine's speed drifts
 * by tens of percent over minutes); their medians, in the order of `designs`.
 */
async function rotatedMedians(
  server: { url: string }, admin: Redis, designs: readonly DesignName[], cell: Cell, o: { reps: number; experiments: number }, all?: Measurement[], shift = 0,
): Promise<Measurement[]> {
  const mine: Measurement[] = [];
  for (let rep = 0; rep < o.reps; rep++) {
    const order = designs.map((_, i) => designs[(i + rep + shift) % designs.length]); // rotated
    for (const d of order) mine.push(await measure(server, admin, d, { ...cell, experiments: o.experiments, tag: `${cell.tag}r${rep}` }));
  }
  all?.push(...mine);
  return designs.map((d) => median(mine.filter((m) => m.design === d)));
}

/**
 * Scaling in concurrency and in fan-out width: each cell measures every design in turn, the
 * order rotated from cell to cell; the fan-out 64 cell (a target) is the median of `reps`.
 */
async function scalingCells(server: { url: string }, admin: Redis, designs: readonly DesignName[], o: { reps: number; experiments: number; scalingSeconds: number }) {
  const cells: Cell[] = [
    ...[1, 4, 16, 64].map((c) => ({ concurrency: c, fanOut: 4, seconds: o.scalingSeconds, warmupSeconds: 0.5, tag: `c${c}` })),
    ...[4, 16, 64].map((w) => ({ concurrency: 16, fanOut: w, seconds: o.scalingSeconds, warmupSeconds: 0.5, tag: `f${w}` })),
  ];
  const concurrency: Measurement[] = [];
  const fanOut: Measurement[] = [];
  for (const [k, cell] of cells.entries()) {
    const ms = await rotatedMedians(server, admin, designs, cell, { reps: cell.tag === 'f64' ? o.reps : 1, experiments: o.experiments }, undefined, k);
    (cell.tag.startsWith('c') ? concurrency : fanOut).push(...ms);
  }
  return { concurrency, fanOut };
}

export interface CompareResults {
  createdAt: string;
  node: string;
  redis: string;
  repetitions: number;
  main: Measurement[];
  all: Measurement[];
  scaling: { concurrency: Measurement[]; fanOut: Measurement[] };
  /** fanin streams with 1 and 2 worker processes per stage (medians), when asked for. */
  processes: Measurement[];
  redisBenchmark: { set: number; get: number } | { skipped: string };
}

export async function runCompare(o: {
  reps: number; experiments: number; seconds: number; warmupSeconds: number; scaling: boolean; scalingSeconds: number; designs?: DesignName[];
  /** also measure fanin streams with 1 and 2 worker processes per stage (rotated, median of reps) */
  processes?: boolean;
}): Promise<CompareResults> {
  const designs = o.designs ?? [...DESIGNS];
  const server = await new EmbeddedRedisProvider().start();
  const admin = new Redis(server.url);
  try {
    const redisVersion = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? 'unknown';
    const all: Measurement[] = [];
    const mainCell: Cell = { concurrency: 16, fanOut: 4, seconds: o.seconds, warmupSeconds: o.warmupSeconds, tag: '' };
    const main = await rotatedMedians(server, admin, designs, mainCell, o, all);
    const { concurrency, fanOut } = o.scaling ? await scalingCells(server, admin, designs, o) : { concurrency: [], fanOut: [] };
    const processes = o.processes ? await rotatedMedians(server, admin, [...PROCESS_DESIGNS], mainCell, o, all) : [];
    const rb = redisBenchmark(server.url);
    return { createdAt: new Date().toISOString(), node: process.version, redis: redisVersion, repetitions: o.reps, main, all, scaling: { concurrency, fanOut }, processes, redisBenchmark: rb };
  } finally {
    admin.disconnect();
    await server.stop();
  }
}
