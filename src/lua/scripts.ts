/**
 * Loads the Lua scripts (one verb per file in this folder) and runs them with EVALSHA, falling
 * back to EVAL (which also caches the script on the server) when Redis answers NOSCRIPT.
 * A line `--@include name` is replaced by `includes/<name>.lua` (each include at most once).
 *
 * (Not ioredis's `defineCommand`: ioredis copies every defined command onto each pipeline it
 * creates — every auto-pipelined batch — which costs in proportion to the number of scripts.)
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, type Redis } from 'ioredis';
import { replyCode, retryWhileClusterBusy } from '../redis/cluster-busy.js';
import { typedOom } from '../redis/oom.js';

const LUA_DIR = dirname(fileURLToPath(import.meta.url));

export const SCRIPT_NAMES = [
  'submit',
  'complete-task',
  'fail-task',
  'promote-delayed',
  'reap-worker',
  'dead-letter',
  'expire-experiment',
  'load-task',
  'requeue-orphan',
  'ack-delivery',
  'renew-leases',
  'requeue-deleted',
  'prune-consumers',
  'claim-ended',
  'retire-experiment',
  'read-ended',
  'delete-acked',
] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

const sources = new Map<ScriptName, string>();

/** The full source of a script, includes expanded. */
export function scriptSource(name: ScriptName): string {
  let src = sources.get(name);
  if (src === undefined) {
    const seen = new Set<string>();
    src = readFileSync(join(LUA_DIR, `${name}.lua`), 'utf8').replace(/^--@include (\S+)\s*$/gm, (_m, inc: string) => {
      if (seen.has(inc)) return '';
      seen.add(inc);
      return readFileSync(join(LUA_DIR, 'includes', `${inc}.lua`), 'utf8');
    });
    sources.set(name, src);
  }
  return src;
}

const SHAS = new Map<ScriptName, string>();

/** The SHA-1 of a script's full source (what EVALSHA names it by). */
export function scriptSha(name: ScriptName): string {
  let sha = SHAS.get(name);
  if (sha === undefined) SHAS.set(name, (sha = createHash('sha1').update(scriptSource(name)).digest('hex')));
  return sha;
}

type Arg = string | number;

/**
 * Runs a script with the given KEYS and ARGV. Keys are always built by keys.ts; callers pass
 * them in the order each script's header documents. On a Redis Cluster whose slot is moving, a
 * refused script (TRYAGAIN, ASK, MOVED, CLUSTERDOWN past ioredis' redirections: it did not run)
 * is sent again with backoff, then fails as CLUSTER_BUSY (redis/cluster-busy.ts): every caller
 * (submit, completions, failures, dead letters, sweeps) gets through a migration the same way.
 */
export function runScript<T = unknown>(redis: Redis, name: ScriptName, keys: readonly string[], args: readonly Arg[], opts: RunOptions = {}): Promise<T> {
  return retryWhileClusterBusy(`the ${name} script`, () => runOnce<T>(redis, name, keys, args, opts));
}

export interface RunOptions {
  /**
   * Write the call to the socket now, not in the connection's next auto-pipelined batch (sent
   * when the event loop next reaches its check phase). For what must reach Redis even while
   * the loop is held — a lease renewal between agents whose synchronous parts run back to
   * back in one turn of the loop.
   */
  writeNow?: boolean;
}

function runOnce<T>(redis: Redis, name: ScriptName, keys: readonly string[], args: readonly Arg[], opts: RunOptions): Promise<T> {
  const call = (opts.writeNow
    ? redis.sendCommand(new Command('evalsha', [scriptSha(name), keys.length, ...keys, ...args], { replyEncoding: 'utf8' }))
    : redis.evalsha(scriptSha(name), keys.length, ...keys, ...args)) as Promise<T>;
  return call.catch((err: unknown) => {
    // not cached on this server yet (or any more: a restart, SCRIPT FLUSH; on a cluster, a
    // master reached by a redirection, where the answer may come as ioredis' give-up error):
    // nothing ran, so it is sent again in full
    if (replyCode(err) === 'NOSCRIPT') return redis.eval(scriptSource(name), keys.length, ...keys, ...args) as Promise<T>;
    throw err;
  }).catch((err: unknown) => {
    // an OOM refusal (nothing written) becomes the typed REDIS_OOM error
    throw typedOom(err, `the ${name} script`);
  });
}
