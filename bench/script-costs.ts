/**
 * Redis time per experiment by command and by script (issue 16): the core runs zero-work
 * experiments on a fresh loopback Redis with SLOWLOG recording every command (threshold 0), so
 * each EVALSHA is named by its script and timed on the server, the commands it runs inside
 * counted too. Complements bench/census.ts (counts) with where Redis spends its time.
 *
 *   npx tsx bench/script-costs.ts [--experiments 1000] [--concurrency 16] [--transport streams]
 */
import { Redis } from 'ioredis';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EmbeddedRedisProvider } from '../harness/redis/embedded.js';
import { SCRIPT_NAMES, scriptSha } from '../src/index.js';
import { driveExperiments, startZeroWorkPipeline } from './zero-work-pipeline.js';

type SlowEntry = [number, number, number, string[]];

function byOrigin(log: SlowEntry[]): Map<string, { calls: number; us: number }> {
  const names = new Map(SCRIPT_NAMES.map((n) => [scriptSha(n), n]));
  const by = new Map<string, { calls: number; us: number }>();
  for (const [, , us, args] of log) {
    const cmd = args[0]!.toLowerCase();
    const origin = cmd === 'evalsha' ? `evalsha ${names.get(args[1]!) ?? '?'}` : cmd;
    const e = by.get(origin) ?? { calls: 0, us: 0 };
    e.calls += 1;
    e.us += us;
    by.set(origin, e);
  }
  return by;
}

const a = await yargs(hideBin(process.argv)).strict()
  .option('experiments', { type: 'number', default: 1000 })
  .option('concurrency', { type: 'number', default: 16 })
  .option('transport', { choices: ['streams', 'lists'] as const, default: 'streams' as const })
  .parseAsync();
const server = await new EmbeddedRedisProvider().start();
const admin = new Redis(server.url);
const pipeline = await startZeroWorkPipeline({ redisUrl: server.url, transport: a.transport, prefix: 'costs' }, a.concurrency);
try {
  await driveExperiments(pipeline.orchestrator, { concurrency: a.concurrency, count: 300 });
  await admin.config('SET', 'slowlog-max-len', String(400 * a.experiments));
  await admin.config('SET', 'slowlog-log-slower-than', '0');
  await admin.slowlog('RESET');
  await driveExperiments(pipeline.orchestrator, { concurrency: a.concurrency, count: a.experiments });
  await admin.config('SET', 'slowlog-log-slower-than', '10000');
  const log = (await admin.slowlog('GET', 400 * a.experiments)) as SlowEntry[];
  const n = a.experiments;
  const rows = [...byOrigin(log)].sort((x, y) => y[1].us - x[1].us).slice(0, 20);
  process.stdout.write(`${a.transport}, ${n} experiments, ${a.concurrency} in flight (server time; a script's includes the commands it runs)\n`);
  process.stdout.write('| origin | calls/exp | µs/exp | µs/call |\n|---|---:|---:|---:|\n');
  for (const [origin, e] of rows) process.stdout.write(`| ${origin} | ${(e.calls / n).toFixed(2)} | ${(e.us / n).toFixed(1)} | ${(e.us / e.calls).toFixed(1)} |\n`);
} finally {
  await pipeline.stop();
  admin.disconnect();
  await server.stop();
}
process.exit(0);
