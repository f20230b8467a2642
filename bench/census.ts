/**
 * Command census of the core (issue 16): per experiment, every command the server executed
 * (INFO commandstats after CONFIG RESETSTAT, Lua-internal included) and every client round
 * trip by origin (EVALSHA named by its script; XREADGROUP/BLMOVE as claims, and so on).
 *
 *   npx tsx bench/census.ts [--experiments 2000] [--concurrency 16] [--transport streams] [--fan-out 4]
 */
import { Socket } from 'node:net';
import { Redis } from 'ioredis';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EmbeddedRedisProvider } from '../harness/redis/embedded.js';
import { SCRIPT_NAMES, scriptSha } from '../src/index.js';
import { commandStats, netBytes, redisCpuSeconds } from './redis-info.js';
import { zeroWorkHandlers } from './designs/zero-work-agents.js';
import { driveExperiments, startZeroWorkPipeline } from './zero-work-pipeline.js';

/** Client round trips by origin: a script's name for EVALSHA/EVAL, else the command's name. */
function countByOrigin(): Map<string, number> {
  const byOrigin = new Map<string, number>();
  const names = new Map(SCRIPT_NAMES.map((n) => [scriptSha(n), n]));
  const proto = Redis.prototype as unknown as { sendCommand(cmd: { name: string; args: unknown[] }, ...rest: unknown[]): unknown };
  const original = proto.sendCommand;
  proto.sendCommand = function (this: unknown, cmd: { name: string; args: unknown[] }, ...rest: unknown[]) {
    const origin = cmd.name === 'evalsha' ? `evalsha ${names.get(String(cmd.args[0])) ?? '?'}` : cmd.name;
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + 1);
    return original.call(this, cmd, ...rest);
  };
  return byOrigin;
}

/** Socket writes (each a syscall that also runs the loopback TCP path on this CPU). */
function countSocketWrites(): { n: number } {
  const c = { n: 0 };
  const original = Socket.prototype.write;
  Socket.prototype.write = function (this: Socket, ...args: unknown[]) {
    c.n += 1;
    return (original as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof original;
  return c;
}

function perExperiment(m: Map<string, number>, n: number): Record<string, number> {
  return Object.fromEntries([...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, +(v / n).toFixed(2)]));
}

async function main(): Promise<void> {
  const a = await yargs(hideBin(process.argv)).strict()
    .option('experiments', { type: 'number', default: 2000 })
    .option('concurrency', { type: 'number', default: 16 })
    .option('transport', { choices: ['streams', 'lists'] as const, default: 'streams' as const })
    .option('fan-out', { type: 'number', default: 4, describe: 'width of the analyse stage (the benchmark designs\' agents)' })
    .parseAsync();
  const server = await new EmbeddedRedisProvider().start();
  const admin = new Redis(server.url);
  const pipeline = await startZeroWorkPipeline({ redisUrl: server.url, transport: a.transport, prefix: 'census' }, a.concurrency, zeroWorkHandlers(a.fanOut));
  const byOrigin = countByOrigin();
  const writes = countSocketWrites();
  try {
    await driveExperiments(pipeline.orchestrator, { concurrency: a.concurrency, count: 200 });
    await admin.config('RESETSTAT');
    byOrigin.clear();
    writes.n = 0;
    const redisCpu0 = await redisCpuSeconds(admin);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { failed } = await driveExperiments(pipeline.orchestrator, { concurrency: a.concurrency, count: a.experiments });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const redisCpu = (await redisCpuSeconds(admin)) - redisCpu0;
    const stats = await commandStats(admin);
    const bytes = await netBytes(admin);
    stats.delete('config');
    stats.delete('info');
    byOrigin.delete('info');
    const total = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0) / a.experiments;
    process.stdout.write(`${a.transport}: ${a.experiments} experiments in ${seconds.toFixed(1)} s (${(a.experiments / seconds).toFixed(0)}/s), failed ${failed}, Node CPU ${((cpu.user + cpu.system) / 1000 / a.experiments).toFixed(3)} ms/exp, Redis CPU ${(redisCpu * 1000 / a.experiments).toFixed(3)} ms/exp, socket writes ${(writes.n / a.experiments).toFixed(1)}/exp\n`);
    process.stdout.write(`bytes/exp to Redis ${(bytes.input / a.experiments).toFixed(0)}, from Redis ${(bytes.output / a.experiments).toFixed(0)}\n`);
    process.stdout.write(`server commands/exp ${total(stats).toFixed(1)}: ${JSON.stringify(perExperiment(stats, a.experiments))}\n`);
    process.stdout.write(`client round trips/exp ${total(byOrigin).toFixed(1)}: ${JSON.stringify(perExperiment(byOrigin, a.experiments))}\n`);
  } finally {
    await pipeline.stop();
    admin.disconnect();
    await server.stop();
  }
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`census failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
