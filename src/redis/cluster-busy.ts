/**
 * A Redis Cluster refusing a command while a slot moves between masters: a multi-key command
 * (every Lua script of the core) over a half-migrated slot answers `TRYAGAIN` until all its keys
 * are on one side, `ASK`/`MOVED` redirect it, `CLUSTERDOWN` refuses it while the cluster settles.
 * ioredis follows these itself up to `maxRedirections`, then rejects with a plain Error "Too many
 * Cluster redirections. Last error: <the last refusal>". In each case the command did not run,
 * so sending it again is safe; retryWhileClusterBusy does so with backoff and, past its budget,
 * throws the typed ClusterBusyError (CLUSTER_BUSY).
 *
 * Classified by the ReplyError's prefix (Redis's error code). ioredis' give-up error has no
 * name, code or cause: its constant message prefix, and the refusal's code in "Last error:",
 * are the only signals it gives. A give-up whose last error is not a refusal (a closed
 * connection: the command may have run) is not CLUSTER_BUSY; callers treat it as an outage.
 */
import { ClusterBusyError } from '../errors.js';
import { pause } from './transient.js';

/** Redis reply codes of a cluster that did not run the command (it redirects or refuses). */
const REFUSALS: ReadonlySet<string> = new Set(['TRYAGAIN', 'ASK', 'MOVED', 'CLUSTERDOWN']);
/** The prefix of ioredis' give-up error (cluster/index.js handleError). */
const GAVE_UP = 'Too many Cluster redirections. Last error: ';

/**
 * The Redis error code of a reply error, also when ioredis gave up with it as its last error:
 * ioredis counts every error reply of a command against `maxRedirections` before it looks at
 * it, so any reply (NOSCRIPT included) arriving after the redirections ran out comes back as its
 * give-up error. Undefined for anything else (a closed connection, not an error).
 */
export function replyCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  if (err.name === 'ReplyError') return err.message.split(' ', 1)[0];
  if (!err.message.startsWith(GAVE_UP)) return undefined;
  const last = err.message.slice(GAVE_UP.length);
  if (!last.startsWith('ReplyError: ')) return undefined;
  return last.slice('ReplyError: '.length).split(' ', 1)[0];
}

/** The cluster's refusal code when `err` is one (or ioredis gave up after one), else undefined. */
export function clusterRefusal(err: unknown): string | undefined {
  const code = replyCode(err);
  return code !== undefined && REFUSALS.has(code) ? code : undefined;
}

export interface ClusterRetryOptions {
  /** how long to keep sending the command again (ms, default 30000) */
  budgetMs?: number;
  /** first pause (ms, default 50; doubles up to 1000, with jitter) */
  firstPauseMs?: number;
}

/** Default budget: longer than a slot migration of a shard's keys takes in practice. */
export const CLUSTER_BUSY_BUDGET_MS = 30_000;

/**
 * Runs `send` again while the cluster refuses it (see clusterRefusal), pausing with backoff;
 * past the budget throws ClusterBusyError with the last refusal as its cause. Any other error
 * is thrown as it is.
 */
export async function retryWhileClusterBusy<T>(operation: string, send: () => Promise<T>, opts: ClusterRetryOptions = {}): Promise<T> {
  const budget = opts.budgetMs ?? CLUSTER_BUSY_BUDGET_MS;
  const started = Date.now();
  for (let wait = opts.firstPauseMs ?? 50; ; wait = Math.min(1000, wait * 2)) {
    try {
      return await send();
    } catch (err) {
      const refusal = clusterRefusal(err);
      if (refusal === undefined) throw err;
      const spent = Date.now() - started;
      if (spent >= budget) throw new ClusterBusyError(operation, refusal, spent, { cause: err });
      await pause(Math.min(budget - spent, wait / 2 + Math.random() * (wait / 2)));
    }
  }
}
