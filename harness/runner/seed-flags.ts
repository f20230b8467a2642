/**
 * Repeated `--redis` flags are the seed nodes of one Redis Cluster:
 * `--redis redis://h:p1 --redis redis://h:p2` is `--redis redis://h:p1,redis://h:p2`, the
 * comma-separated seed list the core reads (src/redis/cluster-detect.ts), for every command of
 * the CLI that takes `--redis` (diagnose, audit, and the core's worker, orchestrator, submit).
 * A repeated `--redis` naming a server that answers without cluster support is a ConfigError
 * naming it: seeds only make sense for a cluster. A seed that cannot be reached is left to the
 * cluster client (that is what a list of seeds is for).
 */
import { Redis } from 'ioredis';
import { assertOneScheme, ConfigError, redactUrl, seedUrls, tlsOptionsFor } from '../../src/index.js';

/** The values of every `--redis X` / `--redis=X` before a `--` (in order), and argv without them. */
function takeRedisFlags(argv: readonly string[]): { urls: string[]; rest: string[]; at: number } {
  const urls: string[] = [];
  const rest: string[] = [];
  let at = -1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const inline = /^--redis=(.*)$/.exec(a);
    if (a === '--redis' && i + 1 < argv.length) {
      if (at < 0) at = rest.length;
      urls.push(argv[++i]);
    } else if (inline) {
      if (at < 0) at = rest.length;
      urls.push(inline[1]);
    } else {
      rest.push(a);
    }
  }
  return { urls, rest, at };
}

/** 'single' only when a server answered that it has no cluster support. */
async function probeSeed(url: string): Promise<'cluster' | 'single' | 'unknown'> {
  let tls;
  try {
    tls = tlsOptionsFor(url);
  } catch {
    return 'unknown'; // the command's own TLS checks report it
  }
  const r = new Redis(url, { lazyConnect: true, connectTimeout: 3_000, commandTimeout: 3_000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableReadyCheck: false, disableClientInfo: true, tls });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return /cluster_enabled:1|cluster_state:/.test(String(await r.call('CLUSTER', 'INFO'))) ? 'cluster' : 'single';
  } catch (err) {
    return err instanceof Error && /cluster support disabled/i.test(err.message) ? 'single' : 'unknown';
  } finally {
    r.disconnect();
  }
}

/** argv with repeated `--redis` folded into one seed list; a seed without cluster support is a ConfigError. */
export async function foldSeedFlags(argv: readonly string[]): Promise<string[]> {
  const { urls, rest, at } = takeRedisFlags(argv);
  if (urls.length < 2) return [...argv];
  // split as the core splits a seed list (a comma in a password is not a separator; a mix of
  // redis:// and rediss:// is INVALID_CONFIG)
  const list = urls.map((u) => u.trim()).join(',');
  assertOneScheme(list);
  const seeds = seedUrls(list);
  const answers = await Promise.all(seeds.map(probeSeed));
  const single = seeds.filter((_, i) => answers[i] === 'single');
  if (single.length > 0) {
    throw new ConfigError(
      `--redis given ${urls.length} times names the seed nodes of one Redis Cluster, but ${single.map(redactUrl).join(', ')} answered without cluster support: ` +
        'give a single --redis for a server that is not a cluster, or only nodes of the cluster',
      { seeds: seeds.map(redactUrl), notCluster: single.map(redactUrl) },
    );
  }
  return [...rest.slice(0, at), '--redis', seeds.join(','), ...rest.slice(at)];
}
