/**
 * The cost of `durableWrites: 'replicas'` (a WAIT after every commit that acknowledges progress)
 * on a local Redis Cluster of 3 masters with 1 replica each (`ClusterRedisProvider`): the same
 * zero-work pipeline (spread × 4 → join, 3 shards: one per master), C experiments in flight, run
 * without and with durable writes in the same process on the same cluster, alternating rounds
 * (none, replicas, none, replicas …) so that a busy machine weighs on both alike. Reports
 * experiments/s and end-to-end p50/p99 (submit → waitFor, HdrHistogram) per mode.
 *
 *   npm run bench:durable -- [--experiments 400] [--concurrency 16] [--rounds 2] [--json file]
 */
import { writeFileSync } from 'node:fs';
import * as hdr from 'hdr-histogram-js';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ClusterRedisProvider } from '../harness/redis/cluster.js';
import { Orchestrator, Worker, type HandlerRegistry } from '../src/index.js';

type Mode = 'none' | 'replicas';

const SPEC = { name: 'durable_bench', stages: [{ name: 'spread', width: 4 }, { name: 'join', width: 1 }] };
const HANDLERS: HandlerRegistry = {
  spread: (ctx) => ({ output: { part: ctx.index } }),
  join: (ctx) => ({ output: { parts: ctx.inputs.length } }),
};

export interface DurableBenchRow {
  mode: Mode;
  experiments: number;
  seconds: number;
  experimentsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
}

/** One round: fresh components under their own prefix, `experiments` driven `concurrency` at a time. */
async function round(url: string, mode: Mode, prefix: string, experiments: number, concurrency: number, histogram: hdr.Histogram): Promise<{ seconds: number; failed: number }> {
  const base = { redisUrl: url, prefix, shards: 3, durableWrites: mode, durableTimeoutMs: 1_000 };
  const o = new Orchestrator({ ...base, pipeline: SPEC });
  const workers = Object.entries(HANDLERS).map(([stage, handler]) => new Worker({ ...base, stage, handler, concurrency: 8 }));
  await o.start();
  for (const w of workers) await w.start();
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const driver = async () => {
    while (next < experiments) {
      const i = next++;
      const t0 = performance.now();
      const id = await o.submit({ id: `${prefix}-${i}`, input: { i } });
      const state = await o.waitFor(id, 60_000);
      if (state.status !== 'completed') failed += 1;
      histogram.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, driver));
  const seconds = (performance.now() - started) / 1000;
  for (const w of workers) await w.stop();
  await o.close();
  return { seconds, failed };
}

export async function benchDurableWrites(opts: { experiments: number; concurrency: number; rounds: number }): Promise<DurableBenchRow[]> {
  const cluster = await new ClusterRedisProvider({ masters: 3, replicas: 1 }).start();
  try {
    const url = cluster.nodes.find((n) => n.role === 'master')!.url;
    // warm-up (scripts cached on every master, connections, JIT): not counted
    await round(url, 'none', 'warm', Math.min(50, opts.experiments), opts.concurrency, hdr.build());
    const totals = new Map<Mode, { h: hdr.Histogram; seconds: number; failed: number; n: number }>();
    for (let r = 0; r < opts.rounds; r++) {
      for (const mode of ['none', 'replicas'] as const) {
        const t = totals.get(mode) ?? { h: hdr.build(), seconds: 0, failed: 0, n: 0 };
        const res = await round(url, mode, `d${r}${mode[0]}`, opts.experiments, opts.concurrency, t.h);
        totals.set(mode, { h: t.h, seconds: t.seconds + res.seconds, failed: t.failed + res.failed, n: t.n + opts.experiments });
      }
    }
    return [...totals].map(([mode, t]) => ({
      mode, experiments: t.n, seconds: round2(t.seconds), experimentsPerSecond: round2(t.n / t.seconds),
      p50Ms: round2(t.h.getValueAtPercentile(50) / 1000), p99Ms: round2(t.h.getValueAtPercentile(99) / 1000), failed: t.failed,
    }));
  } finally {
    await cluster.stop();
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

async function main(): Promise<void> {
  const a = await yargs(hideBin(process.argv))
    .option('experiments', { type: 'number', default: 400, describe: 'experiments per mode and round' })
    .option('concurrency', { type: 'number', default: 16, describe: 'experiments in flight' })
    .option('rounds', { type: 'number', default: 2, describe: 'alternating rounds per mode' })
    .option('json', { type: 'string', describe: 'also write the rows as JSON to this file' })
    .strict().parse();
  const rows = await benchDurableWrites({ experiments: a.experiments, concurrency: a.concurrency, rounds: a.rounds });
  process.stdout.write('| durableWrites | experiments | experiments/s | p50 ms | p99 ms | failed |\n|---|---|---|---|---|---|\n');
  for (const r of rows) process.stdout.write(`| ${r.mode} | ${r.experiments} | ${r.experimentsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.failed} |\n`);
  if (a.json) writeFileSync(a.json, `${JSON.stringify(rows, null, 2)}\n`);
}

if (process.argv[1] && /bench[/\\]durable-writes\.ts$/.test(process.argv[1])) {
  main().then(() => process.exit(0), (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
