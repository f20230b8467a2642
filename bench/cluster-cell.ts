/**
 * One cell of the cluster benchmark: the core's zero-work pipeline with S shards on a local
 * cluster of M masters, a warm-up, then N experiments at C in flight, measured on every master
 * (INFO cpu and INFO commandstats deltas) and in this process (CPU, latency histogram).
 */
import { Redis } from 'ioredis';
import type { StartedCluster } from '../harness/redis/cluster.js';
import { commandStats, redisCpuSeconds } from './redis-info.js';
import { driveExperiments, latencyHistogram, startZeroWorkPipeline } from './zero-work-pipeline.js';

/** A started local cluster and one plain connection to each of its masters (slot order). */
export interface BenchCluster {
  readonly masters: number;
  readonly started: StartedCluster;
  readonly admins: readonly Redis[];
  readonly ports: readonly number[];
}

export function benchCluster(started: StartedCluster): BenchCluster {
  const masters = started.nodes.filter((n) => n.role === 'master');
  const admins = masters.map((n) => {
    const r = new Redis(n.url, { maxRetriesPerRequest: 1 });
    r.on('error', () => undefined);
    return r;
  });
  return { masters: masters.length, started, admins, ports: masters.map((n) => n.port) };
}

export interface CellOptions {
  shards: number;
  transport: 'streams' | 'lists';
  experiments: number;
  warmup: number;
  concurrency: number;
  /** experiment ids are `<idPrefix>-w<n>` (warm-up) and `<idPrefix>-<n>`: the same shards every run */
  idPrefix: string;
}

export interface MasterFigures {
  port: number;
  /** used_cpu_sys + used_cpu_user delta of this master, per 1000 experiments */
  redisCpuSecondsPer1000: number;
  /** commands this master executed (INFO commandstats delta, Lua's inner commands included; INFO, CONFIG and CLUSTER left out) */
  commands: number;
  /** this master's share of all masters' commands, 0..1 */
  commandShare: number;
  /** EVALSHA/EVAL calls this master ran (each task's state changes are scripts on its shard's master) */
  scriptCalls: number;
}

export interface CellMeasurement {
  masters: number;
  shards: number;
  transport: 'streams' | 'lists';
  experiments: number;
  concurrency: number;
  seconds: number;
  experimentsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU of this process (orchestrator, every worker, the driver) per experiment */
  nodeCpuMsPerExperiment: number;
  /** all masters together, per 1000 experiments */
  redisCpuSecondsPer1000: number;
  serverCommandsPerExperiment: number;
  perMaster: MasterFigures[];
  failed: number;
}

const NOT_WORKLOAD = new Set(['info', 'config', 'cluster']);

async function snapshotCpu(c: BenchCluster): Promise<number[]> {
  return Promise.all(c.admins.map((a) => redisCpuSeconds(a)));
}

async function masterFigures(c: BenchCluster, cpu0: number[], experiments: number): Promise<MasterFigures[]> {
  const cpu1 = await snapshotCpu(c);
  const stats = await Promise.all(c.admins.map((a) => commandStats(a)));
  const counts = stats.map((s) => [...s].filter(([name]) => !NOT_WORKLOAD.has(name)).reduce((sum, [, n]) => sum + n, 0));
  const total = counts.reduce((a, b) => a + b, 0);
  return c.ports.map((port, i) => ({
    port,
    redisCpuSecondsPer1000: +(((cpu1[i] - cpu0[i]) * 1000) / experiments).toFixed(3),
    commands: counts[i],
    commandShare: total > 0 ? +(counts[i] / total).toFixed(3) : 0,
    scriptCalls: (stats[i].get('evalsha') ?? 0) + (stats[i].get('eval') ?? 0),
  }));
}

/** Runs one cell on `cluster` and empties its masters afterwards (they are this bench's own). */
export async function measureCell(cluster: BenchCluster, o: CellOptions): Promise<CellMeasurement> {
  const pipeline = await startZeroWorkPipeline({ redisUrl: cluster.started.url, transport: o.transport, prefix: 'bench', shards: o.shards }, o.concurrency);
  try {
    const drive = { concurrency: o.concurrency };
    const warm = await driveExperiments(pipeline.orchestrator, { ...drive, count: o.warmup, idPrefix: `${o.idPrefix}-w` });
    await Promise.all(cluster.admins.map((a) => a.config('RESETSTAT')));
    const cpu0 = await snapshotCpu(cluster);
    const histogram = latencyHistogram();
    const nodeCpu0 = process.cpuUsage();
    const t0 = performance.now();
    const measured = await driveExperiments(pipeline.orchestrator, { ...drive, count: o.experiments, histogram, idPrefix: o.idPrefix });
    const seconds = (performance.now() - t0) / 1000;
    const nodeCpu = process.cpuUsage(nodeCpu0);
    const perMaster = await masterFigures(cluster, cpu0, o.experiments);
    return {
      masters: cluster.masters, shards: o.shards, transport: o.transport, experiments: o.experiments, concurrency: o.concurrency,
      seconds: +seconds.toFixed(3),
      experimentsPerSecond: +(o.experiments / seconds).toFixed(1),
      p50Ms: histogram.getValueAtPercentile(50) / 1000,
      p99Ms: histogram.getValueAtPercentile(99) / 1000,
      maxMs: histogram.maxValue / 1000,
      nodeCpuMsPerExperiment: +((nodeCpu.user + nodeCpu.system) / 1000 / o.experiments).toFixed(3),
      redisCpuSecondsPer1000: +perMaster.reduce((a, m) => a + m.redisCpuSecondsPer1000, 0).toFixed(3),
      serverCommandsPerExperiment: +(perMaster.reduce((a, m) => a + m.commands, 0) / o.experiments).toFixed(1),
      perMaster,
      failed: warm.failed + measured.failed,
    };
  } finally {
    await pipeline.stop();
    await Promise.all(cluster.admins.map((a) => a.flushall()));
  }
}
