/**
 * Runs a variant's (known-bad) worker for one stage as its own OS process, so process faults
 * (worker-kill, worker-pause) act on it exactly as on a core worker process:
 *
 *   node --import tsx harness/runner/variant-worker-main.ts --variant NAME --stage S \
 *     --redis URL --transport T --prefix P --shards N --concurrency C [--events ipc]
 *
 * The handlers are the built-in agents wrapped with the run's latency model and agent faults
 * (worker-handlers.ts reads them from the environment). Prints `worker <id> ...` once ready,
 * sends lifecycle events to the parent over IPC with `--events ipc`, and stops on SIGTERM or
 * SIGINT. Exit codes as the core's CLI: 0 stopped · 1 failed · 2 configuration · 3 no Redis.
 */
import { parseArgs } from 'node:util';
import { ConfigError, describeError, type EventSink, exitCodeFor } from '../../src/index.js';
import { loadVariant } from './variant.js';

function required(values: Record<string, string | undefined>, name: string): string {
  const v = values[name];
  if (v === undefined || v === '') throw new ConfigError(`variant worker: --${name} is required`);
  return v;
}

function positiveInt(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`variant worker: --${name} must be a positive integer, got "${raw}"`);
  return n;
}

function ipcSink(): EventSink {
  if (!process.send) throw new ConfigError('variant worker: --events ipc needs an IPC channel (spawn with stdio "ipc")');
  // if the parent is gone the events have nowhere to go; the worker keeps running until signalled
  return (e) => void process.send!(e, undefined, {}, () => undefined);
}

const OPTIONS = {
  variant: { type: 'string' },
  stage: { type: 'string' },
  redis: { type: 'string' },
  transport: { type: 'string', default: 'streams' },
  prefix: { type: 'string', default: 'fanin' },
  shards: { type: 'string', default: '1' },
  concurrency: { type: 'string', default: '8' },
  events: { type: 'string' },
} as const;

export async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: OPTIONS }));
  } catch (cause) {
    throw new ConfigError(`variant worker: ${(cause as Error).message}`, {}, { cause });
  }
  const name = required(values, 'variant');
  const stage = required(values, 'stage');
  const redisUrl = required(values, 'redis');
  const transport = values.transport;
  if (transport !== 'streams' && transport !== 'lists') throw new ConfigError(`variant worker: --transport must be streams or lists, got "${transport}"`);
  if (values.events !== undefined && values.events !== 'ipc') throw new ConfigError(`variant worker: --events only supports "ipc", got "${values.events}"`);

  const variant = await loadVariant(name);
  const factory = variant.workers[stage];
  if (!factory) {
    throw new ConfigError(`variant ${name} does not replace stage "${stage}" (it replaces: ${Object.keys(variant.workers).join(', ')})`, { variant: name, stage });
  }
  // imported here: the module reads the latency model and agent faults from the environment
  const { handlers } = await import('./worker-handlers.js');
  const handler = handlers[stage];
  if (!handler) throw new ConfigError(`no built-in handler for stage "${stage}"`, { stage });

  const worker = factory({
    redisUrl, transport, prefix: values.prefix!, shards: positiveInt(values.shards!, 'shards'), stage, handler,
    concurrency: positiveInt(values.concurrency!, 'concurrency'), events: values.events === 'ipc' ? ipcSink() : undefined,
  });
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  await worker.start();
  process.stdout.write(`worker ${worker.id} consuming ${stage} (${transport}, variant ${name})\n`);
  await stopped;
  await worker.stop();
  return 0;
}

const invokedDirectly = process.argv[1] && /variant-worker-main\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`fanin variant worker: ${describeError(err)}\n`);
      process.exit(exitCodeFor(err));
    },
  );
}
