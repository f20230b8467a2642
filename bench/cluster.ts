/**
 * Cluster benchmark (issue 14): experiments/s with 1, 3 and 6 shards on a 1-master and a
 * 3-master local Redis Cluster, in one run. Both clusters are started once; each repetition
 * runs the 6 cells in a rotated order; per cell the repetition with the median experiments/s
 * is reported, with p50/p99, Node CPU per experiment, Redis CPU per master and the share of
 * commands each master served. Writes bench/results/cluster-<timestamp>.json and .md.
 *
 *   npm run bench:cluster -- [--experiments 1000] [--repetitions 3] [--concurrency 16]
 *                            [--transport streams|lists] [--warmup 100] [--results-dir bench/results]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ClusterRedisProvider } from '../harness/redis/cluster.js';
import { ConfigError, exitCodeFor } from '../src/index.js';
import { benchCluster, measureCell, type BenchCluster } from './cluster-cell.js';
import { formatClusterResults, medianCells, rotatedOrder, type ClusterBenchResults, type ClusterBenchSettings, type ClusterRun } from './cluster-report.js';

const say = (s: string) => process.stderr.write(`${s}\n`);

/** Runs every repetition on the two started clusters (index 0: 1 master, 1: 3 masters). */
async function runAll(clusters: BenchCluster[], s: ClusterBenchSettings): Promise<ClusterRun[]> {
  const runs: ClusterRun[] = [];
  for (let repetition = 0; repetition < s.repetitions; repetition++) {
    const order = rotatedOrder(repetition, s.repetitions);
    for (const [position, cell] of order.entries()) {
      const cluster = clusters.find((c) => c.masters === cell.masters)!;
      const m = await measureCell(cluster, { shards: cell.shards, transport: s.transport, experiments: s.experiments, warmup: s.warmup, concurrency: s.concurrency, idPrefix: 'e' });
      say(`  repetition ${repetition + 1}/${s.repetitions}: ${cell.masters} master(s) × ${cell.shards} shard(s): ${m.experimentsPerSecond} experiments/s${m.failed ? `, ${m.failed} failed` : ''}`);
      runs.push({ ...m, repetition, position });
    }
  }
  return runs;
}

export async function benchClusters(s: ClusterBenchSettings, started: BenchCluster[] = []): Promise<ClusterBenchResults> {
  const loadAverageAtStart = +loadavg()[0].toFixed(2);
  say('starting a 1-master and a 3-master local cluster');
  started.push(benchCluster(await new ClusterRedisProvider({ masters: 1 }).start()));
  started.push(benchCluster(await new ClusterRedisProvider({ masters: 3 }).start()));
  const redis = /redis_version:(\S+)/.exec(await started[0].admins[0].info('server'))?.[1] ?? 'unknown';
  const runs = await runAll(started, s);
  return { createdAt: new Date().toISOString(), node: process.version, redis, cpus: cpus().length, loadAverageAtStart, settings: s, cells: medianCells(runs), runs };
}

export async function stopClusters(started: BenchCluster[]): Promise<void> {
  await Promise.all(started.map(async (c) => {
    for (const a of c.admins) a.disconnect();
    await c.started.stop();
  }));
}

function parseSettings(argv: string[]): Promise<ClusterBenchSettings & { resultsDir: string }> {
  const positive = (name: string, min = 1) => (v: number) => {
    if (!Number.isInteger(v) || v < min) throw new ConfigError(`--${name} must be an integer ≥ ${min}, got ${v}`, { [name]: v });
    return v;
  };
  return yargs(argv)
    .scriptName('npm run bench:cluster --')
    .strict()
    .option('experiments', { type: 'number', default: 1000, coerce: positive('experiments'), describe: 'measured experiments per cell and repetition' })
    .option('repetitions', { type: 'number', default: 3, coerce: positive('repetitions'), describe: 'rotated repetitions; each cell reports the median' })
    .option('concurrency', { type: 'number', default: 16, coerce: positive('concurrency'), describe: 'experiments in flight (and tasks per worker)' })
    .option('transport', { choices: ['streams', 'lists'] as const, default: 'streams' as const })
    .option('warmup', { type: 'number', default: 100, coerce: positive('warmup', 0), describe: 'unmeasured experiments before each cell' })
    .option('results-dir', { type: 'string', default: 'bench/results', describe: 'where cluster-<timestamp>.json and .md go' })
    .fail((msg, err) => {
      process.stderr.write(`bench:cluster: ${err?.message ?? msg}\nusage: npm run bench:cluster -- [--experiments N] [--repetitions N] [--concurrency N] [--transport streams|lists] [--warmup N] [--results-dir DIR]\n`);
      process.exit(2);
    })
    .parseAsync()
    .then((a) => ({ experiments: a.experiments, repetitions: a.repetitions, concurrency: a.concurrency, transport: a.transport, warmup: a.warmup, resultsDir: a['results-dir'] }));
}

function writeResults(dir: string, r: ClusterBenchResults): string {
  const stamp = r.createdAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `cluster-${stamp}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(`${base}.md`, `${formatClusterResults(r)}\n`);
  return base;
}

async function main(): Promise<number> {
  const { resultsDir, ...settings } = await parseSettings(hideBin(process.argv));
  const started: BenchCluster[] = [];
  const onSignal = (signal: NodeJS.Signals) => {
    say(`bench:cluster: ${signal}, stopping the clusters`);
    void stopClusters(started).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const results = await benchClusters(settings, started);
    process.stdout.write(`${formatClusterResults(results)}\n`);
    process.stdout.write(`written: ${writeResults(resultsDir, results)}.json, .md\n`);
    return results.cells.some((c) => c.failed > 0) ? 1 : 0;
  } finally {
    await stopClusters(started);
  }
}

if (process.argv[1] && /bench[/\\]cluster\.ts$/.test(process.argv[1])) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench:cluster failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(exitCodeFor(err));
    },
  );
}
