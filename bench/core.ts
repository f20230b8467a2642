/**
 * Core benchmark: zero-work agents on the default DAG (pre_test → 4 × analyse_batch →
 * corpus_synthesis → 2 × review → moderation), C experiments in flight, a fresh loopback
 * redis-server per transport. Reports experiments/s, end-to-end p50/p99 (HdrHistogram), and
 * Redis commands per experiment two ways: executed by the server (INFO commandstats delta,
 * which counts the commands run inside Lua scripts too) and sent by clients (round trips).
 *
 *   npm run bench:core -- [--experiments 3000] [--concurrency 16] [--warmup 300] [--json file]
 */
import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EmbeddedRedisProvider } from '../harness/redis/embedded.js';
import { commandStats, redisCpuSeconds } from './redis-info.js';
import { formatTargets } from './targets.js';
import { driveExperiments, latencyHistogram, startZeroWorkPipeline } from './zero-work-pipeline.js';

export interface CoreBenchResult {
  transport: 'streams' | 'lists';
  experiments: number;
  concurrency: number;
  seconds: number;
  experimentsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  serverCommandsPerExperiment: number;
  /** CPU of this process (orchestrator, every worker, the driver) per experiment */
  nodeCpuMsPerExperiment: number;
  /** CPU of redis-server (INFO cpu) per experiment */
  redisCpuMsPerExperiment: number;
  clientCommandsPerExperiment: number;
  topServerCommands: Record<string, number>;
  topClientCommands: Record<string, number>;
  failed: number;
}

/** Counts the commands every ioredis client sends (round trips), by name. */
function countClientCommands(): { counts: Map<string, number>; reset(): void } {
  const counts = new Map<string, number>();
  const proto = Redis.prototype as unknown as { sendCommand(cmd: { name: string }, ...rest: unknown[]): unknown };
  const original = proto.sendCommand;
  proto.sendCommand = function (this: unknown, cmd: { name: string }, ...rest: unknown[]) {
    counts.set(cmd.name, (counts.get(cmd.name) ?? 0) + 1);
    return original.call(this, cmd, ...rest);
  };
  return { counts, reset: () => counts.clear() };
}

export async function benchCore(opts: { transport: 'streams' | 'lists'; experiments: number; concurrency: number; warmup: number }): Promise<CoreBenchResult> {
  const server = await new EmbeddedRedisProvider().start();
  const admin = new Redis(server.url);
  const pipeline = await startZeroWorkPipeline({ redisUrl: server.url, transport: opts.transport, prefix: 'bench' }, opts.concurrency);
  const counter = countClientCommands();
  const histogram = latencyHistogram();
  const drive = { concurrency: opts.concurrency };

  try {
    const warm = await driveExperiments(pipeline.orchestrator, { ...drive, count: opts.warmup });
    await admin.config('RESETSTAT');
    counter.reset();
    const redisCpu0 = await redisCpuSeconds(admin);
    const nodeCpu0 = process.cpuUsage();
    const t0 = performance.now();
    const measured = await driveExperiments(pipeline.orchestrator, { ...drive, count: opts.experiments, histogram });
    const seconds = (performance.now() - t0) / 1000;
    const failed = warm.failed + measured.failed;
    const nodeCpu = process.cpuUsage(nodeCpu0);
    const redisCpu = (await redisCpuSeconds(admin)) - redisCpu0;
    const clientSent = [...counter.counts.entries()].filter(([name]) => name !== 'info').reduce((a, [, c]) => a + c, 0);
    const stats = await commandStats(admin);
    stats.delete('config');
    stats.delete('info');
    // Maintenance ticks (XAUTOCLAIM, PROMOTE, supervisor sweeps) are part of the cost: kept.
    const serverTotal = [...stats.values()].reduce((a, b) => a + b, 0);
    const top = Object.fromEntries([...stats.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => [k, +(v / opts.experiments).toFixed(2)]));
    return {
      transport: opts.transport,
      experiments: opts.experiments,
      concurrency: opts.concurrency,
      seconds: +seconds.toFixed(3),
      experimentsPerSecond: +(opts.experiments / seconds).toFixed(1),
      p50Ms: histogram.getValueAtPercentile(50) / 1000,
      p99Ms: histogram.getValueAtPercentile(99) / 1000,
      maxMs: histogram.maxValue / 1000,
      serverCommandsPerExperiment: +(serverTotal / opts.experiments).toFixed(1),
      nodeCpuMsPerExperiment: +((nodeCpu.user + nodeCpu.system) / 1000 / opts.experiments).toFixed(3),
      redisCpuMsPerExperiment: +((redisCpu * 1000) / opts.experiments).toFixed(3),
      clientCommandsPerExperiment: +(clientSent / opts.experiments).toFixed(1),
      topServerCommands: top,
      topClientCommands: Object.fromEntries([...counter.counts.entries()].filter(([name]) => name !== 'info').sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, v]) => [k, +(v / opts.experiments).toFixed(2)])),
      failed,
    };
  } finally {
    await pipeline.stop();
    admin.disconnect();
    await server.stop();
  }
}

export function formatCoreResults(results: CoreBenchResult[]): string {
  const streams = results.find((r) => r.transport === 'streams');
  const rows = results.map((r) => {
    const ratio = streams ? (r.experimentsPerSecond / streams.experimentsPerSecond).toFixed(2) : '-';
    return `| ${r.transport} | ${r.experimentsPerSecond} | ${ratio} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.serverCommandsPerExperiment} | ${r.clientCommandsPerExperiment} | ${r.nodeCpuMsPerExperiment} | ${r.redisCpuMsPerExperiment} | ${r.failed} |`;
  });
  return [
    `core: ${results[0].experiments} experiments, ${results[0].concurrency} in flight, zero-work agents, default DAG (9 tasks)`,
    '| transport | experiments/s | × streams | p50 ms | p99 ms | server cmds/exp (commandstats, incl. Lua) | client cmds/exp (round trips) | Node CPU ms/exp | Redis CPU ms/exp | failed |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    ...(streams ? ['', ...formatTargets([
      { name: 'core streams: Redis commands/exp', value: streams.serverCommandsPerExperiment, op: '≤', bound: 90, unit: '' },
      { name: 'core streams: Node CPU/exp', value: streams.nodeCpuMsPerExperiment, op: '≤', bound: 0.6, unit: ' ms' },
    ])] : []),
  ].join('\n');
}

async function main(): Promise<void> {
  const a = await yargs(hideBin(process.argv))
    .strict()
    .option('experiments', { type: 'number', default: 3000 })
    .option('concurrency', { type: 'number', default: 16 })
    .option('warmup', { type: 'number', default: 300 })
    .option('transport', { type: 'array', choices: ['streams', 'lists'], default: ['streams', 'lists'] })
    .option('json', { type: 'string', describe: 'also write the results as JSON here' })
    .parseAsync();
  const results: CoreBenchResult[] = [];
  for (const transport of a.transport as ('streams' | 'lists')[]) {
    results.push(await benchCore({ transport, experiments: a.experiments, concurrency: a.concurrency, warmup: a.warmup }));
  }
  process.stdout.write(`${formatCoreResults(results)}\n`);
  for (const r of results) {
    process.stdout.write(`${r.transport} top server commands per experiment: ${JSON.stringify(r.topServerCommands)}\n`);
    process.stdout.write(`${r.transport} top client commands per experiment: ${JSON.stringify(r.topClientCommands)}\n`);
  }
  if (a.json) writeFileSync(a.json, JSON.stringify(results, null, 2));
}

if (process.argv[1] && /bench[/\\]core\.ts$/.test(process.argv[1])) {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`bench:core failed: ${(err as Error).stack}\n`);
      process.exit(1);
    },
  );
}
