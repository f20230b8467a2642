/**
 * A wide or heavy fan-in run once by hand (issue 10, item 5): plan → fan (dynamic width W) →
 * join, on a fresh loopback redis-server, through the public API. Each fan task returns either
 * a small object or a string of `--input-mb` MB; the join checks that it got all W inputs.
 * Prints the wall time, this process's peak RSS and Redis's peak memory.
 *
 *   npx tsx bench/heavy-fan-in.ts --width 50000
 *   npx tsx bench/heavy-fan-in.ts --width 20 --input-mb 10
 */
import { Redis } from 'ioredis';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EmbeddedRedisProvider } from '../harness/redis/embedded.js';
import { Orchestrator, Worker, type HandlerRegistry, type PipelineSpecInput } from '../src/index.js';

async function main(): Promise<void> {
  const a = await yargs(hideBin(process.argv))
    .strict()
    .option('width', { type: 'number', default: 50_000 })
    .option('input-mb', { type: 'number', default: 0, describe: 'size of each fan task output (0: a small object)' })
    .option('transport', { choices: ['streams', 'lists'] as const, default: 'streams' as const })
    .option('concurrency', { type: 'number', default: 64 })
    .parseAsync();
  const pipeline: PipelineSpecInput = {
    name: 'heavy',
    stages: [
      { name: 'plan', width: 1 },
      { name: 'fan', width: 'dynamic', timeoutMs: 600_000 },
      { name: 'join', width: 1, timeoutMs: 600_000 },
    ],
  };
  const blob = a['input-mb'] > 0 ? 'x'.repeat(a['input-mb'] * 1024 * 1024) : '';
  let joined = { inputs: 0, bytes: 0 };
  const handlers: HandlerRegistry = {
    plan: () => ({ output: { width: a.width }, fanOut: a.width }),
    fan: (ctx) => ({ output: blob ? { i: ctx.index, blob: `${ctx.index}:${blob}` } : { i: ctx.index } }),
    join: (ctx) => {
      const bytes = ctx.inputs.reduce<number>((s, x) => s + JSON.stringify(x).length, 0);
      joined = { inputs: ctx.inputs.length, bytes };
      return { output: { inputs: ctx.inputs.length, bytes } };
    },
  };
  const server = await new EmbeddedRedisProvider().start();
  const base = { redisUrl: server.url, transport: a.transport, prefix: 'heavy' };
  const o = new Orchestrator({ ...base, pipeline });
  await o.start();
  const workers = Object.entries(handlers).map(([stage, handler]) => new Worker({ ...base, stage, handler, concurrency: a.concurrency }));
  for (const w of workers) await w.start();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
  const admin = new Redis(server.url);
  try {
    const t0 = performance.now();
    const id = await o.submit({ input: { width: a.width } });
    const state = await o.waitFor(id, 1_800_000);
    const seconds = (performance.now() - t0) / 1000;
    const mem = await admin.info('memory');
    const redisPeak = /used_memory_peak_human:(\S+)/.exec(mem)?.[1];
    process.stdout.write(
      `${a.transport}: width ${a.width}, ${a['input-mb'] || '<1'} MB per input → ${state.status}${state.cause ? ` (${state.cause})` : ''}; ` +
      `join got ${joined.inputs} inputs, ${(joined.bytes / 1024 / 1024).toFixed(1)} MB; ${seconds.toFixed(1)} s; ` +
      `peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB (one process: orchestrator + every worker); Redis peak ${redisPeak}\n`,
    );
    if (state.status !== 'completed' || joined.inputs !== a.width) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    admin.disconnect();
    await Promise.all(workers.map((w) => w.stop()));
    await o.close();
    await server.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`heavy-fan-in failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
