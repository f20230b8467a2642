/**
 * The core's command line (yargs wiring only): run a worker or an orchestrator as its own OS
 * process, or submit an experiment. Exit codes: 0 ok · 1 the experiment failed · 2 usage or
 * configuration error · 3 Redis could not be reached.
 */
import { readFileSync } from 'node:fs';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { loadReferenceInput } from './analysis/load-fixtures.js';
import { eventSink, type FileSink } from './cli/ndjson-sink.js';
import { loadSteps, resolveWorkerHandler } from './cli/load-handlers.js';
import { announcePoolReady, parentGone } from './cli/pool-child.js';
import { checkProcesses, WorkerPool } from './cli/worker-pool.js';
import { ConfigError, describeError, FaninError } from './errors.js';
import { Orchestrator } from './pipeline/orchestrator.js';
import { withTlsFlags } from './redis/tls.js';
import { Worker } from './worker/worker.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, infra: 3 } as const;

function common<T>(y: Argv<T>) {
  return withTlsFlags(y)
    .option('redis', { type: 'string', default: process.env.FANIN_REDIS_URL ?? 'redis://127.0.0.1:6379', defaultDescription: '$FANIN_REDIS_URL, else redis://127.0.0.1:6379', describe: 'Redis URL (redis:// or rediss://, user:password allowed; default env FANIN_REDIS_URL, which keeps the password out of `ps`)' })
    .option('transport', { choices: ['streams', 'lists'] as const, default: 'streams' as const, describe: 'coordination transport (one per deployment)' })
    .option('prefix', { type: 'string', default: 'fanin', describe: 'key prefix (namespace)' })
    .option('shards', { type: 'number', default: 1, describe: 'number of shards' })
    .option('events', { type: 'string', describe: 'append lifecycle events as NDJSON to this file, or "ipc" to send them to the parent process' })
    .option('durable-writes', { choices: ['none', 'replicas'] as const, default: 'none' as const, describe: 'replicas: report a commit done only once replicas acknowledge it (WAIT; docs/cluster.md)' })
    .option('durable-replicas', { type: 'number', default: 1, describe: 'with --durable-writes replicas: replicas that must acknowledge each commit' })
    .option('durable-timeout', { type: 'number', default: 1_000, describe: 'with --durable-writes replicas: WAIT timeout per round (ms), below the command timeout' });
}

/** The core options of the durability flags. */
function durability(a: { 'durable-writes': 'none' | 'replicas'; 'durable-replicas': number; 'durable-timeout': number }) {
  return { durableWrites: a['durable-writes'], durableReplicas: a['durable-replicas'], durableTimeoutMs: a['durable-timeout'] };
}

/** `fanin worker --processes N`: the children's events (`--events ipc`) go on to this process's parent. */
function runPool(argv: string[], processes: number, redisUrl: string, workerId: string | undefined, events: string | undefined): Promise<number> {
  let relay: ((m: unknown) => void) | undefined;
  if (events === 'ipc') {
    if (typeof process.send !== 'function') throw new ConfigError('--events ipc needs a parent process with an IPC channel: give --events FILE instead');
    relay = (m) => void process.send!(m);
  }
  return new WorkerPool({ processes, argv, redisUrl, workerId, relay }).run();
}

/** Maps an error to the CLI's exit code: 3 Redis unreachable or unable to commit, 2 usage/configuration, else 1. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof FaninError) {
    // unreachable, a cluster that kept refusing while a slot moved, replicas that did not acknowledge
    if (err.code === 'REDIS_UNAVAILABLE' || err.code === 'CLUSTER_BUSY' || err.code === 'NOT_DURABLE') return EXIT.infra;
    if (['INVALID_CONFIG', 'MISSING_DEPENDENCY', 'INVALID_SPEC', 'WRONG_KEY_TYPE', 'INVALID_INPUT', 'INVALID_FRAMEWORK', 'INVALID_CORPUS'].includes(err.code)) return EXIT.usage;
  }
  return EXIT.failed;
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

async function withSink<T>(path: string | undefined, fn: (s: FileSink | undefined) => Promise<T>): Promise<T> {
  const s = path ? eventSink(path) : undefined;
  try {
    return await fn(s);
  } finally {
    await s?.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const parser = yargs(argv)
    .scriptName('fanin')
    .strict()
    .demandCommand(1, 'name a command')
    .command(
      'worker',
      'run a worker for one stage until SIGTERM (finishes the task in hand, then exits)',
      (y) =>
        common(y)
          .option('stage', { type: 'string', demandOption: true, describe: 'stage to consume' })
          .option('handlers', { type: 'string', default: 'builtin', describe: '"builtin" or a module exporting `handlers` (stage → handler)' })
          .option('pipeline', { type: 'string', describe: 'a pipeline module (.ts, .js, .mjs) default-exporting definePipeline(...): runs its handler for --stage (docs/pipelines.md)' })
          .option('wrap', { type: 'string', describe: 'a module exporting `wrap(handlers, spec)`: wraps the handlers before the worker runs them' })
          .option('concurrency', { type: 'number', default: 8, describe: 'tasks in flight per shard' })
          .option('worker-id', { type: 'string', describe: 'consumer name (default: generated)' })
          .option('visibility-timeout', { type: 'number', default: 30_000, describe: 'streams: reclaim entries idle this long (ms)' })
          .option('heartbeat-ttl', { type: 'number', default: 5_000, describe: 'lists: a worker silent this long is reaped (ms)' })
          .option('maintenance-interval', { type: 'number', default: 250, describe: 'recovery, retry promotion, deadline sweep and lease renewal period (ms)' })
          .option('stale-consumer', { type: 'number', default: 600_000, describe: 'streams: remove consumers idle this long that hold nothing (ms)' })
          .option('max-stream-length', { type: 'number', default: 100_000, describe: 'cap of the dead letter (streams: approximate)' })
          .option('max-deliveries', { type: 'number', default: 3, describe: 'deliveries of a task Redis refuses to load before it is dead-lettered' })
          .option('input-chunk', { type: 'number', default: 1000, describe: 'input artifacts read per MGET when a task loads' })
          .option('steps', { type: 'string', describe: 'a module exporting `steps`: replaces some of the worker\'s steps (docs/variants.md)' })
          .option('processes', { type: 'number', default: 1, describe: 'run N worker processes (a pool: SIGTERM stops them all; one that dies is restarted)' }),
      async (a) => {
        checkProcesses(a.processes);
        const handler = await resolveWorkerHandler({ pipeline: a.pipeline, handlers: a.handlers, wrap: a.wrap, stage: a.stage });
        const steps = a.steps === undefined ? undefined : await loadSteps(a.steps);
        if (a.processes > 1) {
          code = await runPool(argv, a.processes, a.redis, a['worker-id'], a.events);
          return;
        }
        await withSink(a.events, async (s) => {
          const worker = new Worker({
            redisUrl: a.redis, transport: a.transport, prefix: a.prefix, shards: a.shards, stage: a.stage, handler,
            concurrency: a.concurrency, workerId: a['worker-id'], visibilityTimeoutMs: a['visibility-timeout'],
            heartbeatTtlMs: a['heartbeat-ttl'], maintenanceIntervalMs: a['maintenance-interval'], events: s?.sink,
            staleConsumerMs: a['stale-consumer'], maxStreamLength: a['max-stream-length'],
            maxDeliveries: a['max-deliveries'], inputChunkSize: a['input-chunk'], steps, ...durability(a),
          });
          await worker.start();
          process.stdout.write(`worker ${worker.id} consuming ${a.stage} (${a.transport})\n`);
          announcePoolReady(worker.id);
          await Promise.race([untilSignal(), parentGone()]);
          await worker.stop();
        });
      },
    )
    .command(
      'orchestrator',
      'run an orchestrator that enforces stage timeouts until SIGTERM',
      (y) => common(y).option('interval', { type: 'number', default: 250, describe: 'supervisor period (ms)' }),
      async (a) => {
        await withSink(a.events, async (s) => {
          const o = new Orchestrator({ redisUrl: a.redis, transport: a.transport, prefix: a.prefix, shards: a.shards, supervisorIntervalMs: a.interval, events: s?.sink, ...durability(a) });
          await o.start();
          process.stdout.write(`orchestrator supervising (${a.transport})\n`);
          await untilSignal();
          await o.close();
        });
      },
    )
    .command(
      'submit',
      'submit a constitutional-analysis experiment (fixtures by default) and optionally wait for it',
      (y) =>
        common(y)
          .option('input', { type: 'string', describe: 'JSON file with { corpus, framework } (default: fixtures/)' })
          .option('batch-size', { type: 'number', default: 3, describe: 'documents per analyse_batch task' })
          .option('id', { type: 'string', describe: 'experiment id (idempotent)' })
          .option('wait', { type: 'number', default: 0, describe: 'wait up to this many ms: prints "submitted <id>", then the final state as JSON' }),
      async (a) => {
        let input: unknown;
        try {
          input = a.input ? JSON.parse(readFileSync(a.input, 'utf8')) : await loadReferenceInput();
        } catch (cause) {
          if (cause instanceof FaninError) throw cause;
          throw new ConfigError(`cannot read input ${a.input}: ${(cause as Error).message}`, { file: a.input }, { cause });
        }
        await withSink(a.events, async (s) => {
          const o = new Orchestrator({ redisUrl: a.redis, transport: a.transport, prefix: a.prefix, shards: a.shards, supervise: false, events: s?.sink, ...durability(a) });
          await o.start();
          try {
            const id = await o.submit({ input, params: { batchSize: a['batch-size'] }, id: a.id });
            if (a.wait > 0) {
              process.stdout.write(`submitted ${id}\n`);
              const state = await o.waitFor(id, a.wait);
              process.stdout.write(`${JSON.stringify(state)}\n`);
              if (state.status !== 'completed') code = EXIT.failed;
            } else {
              process.stdout.write(`${id}\n`);
            }
          } finally {
            await o.close();
          }
        });
      },
    )
    .help();
  const failed = await parseReportingErrors(parser);
  return failed ?? code;
}

/**
 * Parses with yargs, turning usage errors into ConfigError; prints any error on stderr and
 * returns its exit code (undefined when the command ran without throwing).
 */
export async function parseReportingErrors(parser: Argv): Promise<number | undefined> {
  try {
    await parser
      .fail((msg, err) => {
        if (err) throw err;
        throw new ConfigError(msg);
      })
      .parseAsync();
    return undefined;
  } catch (err) {
    process.stderr.write(`fanin: ${describeError(err)}\n`);
    return exitCodeFor(err);
  }
}

/** The core's commands (the harness's CLI delegates these). */
export const CORE_COMMANDS = ['worker', 'orchestrator', 'submit'];

const invokedDirectly = process.argv[1] && /src[\\/]cli\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(hideBin(process.argv)).then((c) => process.exit(c));
}
