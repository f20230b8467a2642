/**
 * Removes one run's keys from a Redis the harness does not own (the `url` provider): SCAN
 * MATCH + UNLINK in batches. Never FLUSHALL/FLUSHDB.
 */
import { ConfigError, connect, createClient, detectCluster, isClusterClient } from '../../src/index.js';
import { mastersOf } from './cluster-admin.js';

const GLOB_SPECIAL = /[\\*?[\]]/g;

/** `s` with Redis glob metacharacters (`\ * ? [ ]`) escaped, so it matches only itself. */
export function escapeGlob(s: string): string {
  return s.replace(GLOB_SPECIAL, (c) => `\\${c}`);
}

/**
 * The SCAN pattern of every key of a keyspace with this prefix (see src/keys.ts:
 * `<prefix>:{<prefix>:<shard>}:<kind>...`). `{` and `}` are literal in Redis patterns.
 */
export function prefixPattern(prefix: string): string {
  if (prefix === '') throw new ConfigError('cannot build a cleanup pattern for an empty prefix');
  const p = escapeGlob(prefix);
  return `${p}:{${p}:*}:*`;
}

/** The pattern's literal text before its first unescaped wildcard. */
function literalHead(pattern: string): string {
  let head = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      head += pattern[++i];
      continue;
    }
    if (c === '*' || c === '?' || c === '[') break;
    head += c;
  }
  return head;
}

export interface DeleteOptions {
  /** SCAN COUNT hint and largest UNLINK batch (default 500). */
  batch?: number;
}

/**
 * Deletes every key matching `pattern` (SCAN MATCH … COUNT 500, UNLINK per batch) and returns
 * how many were removed. Refuses a pattern without a literal head (it would match everything).
 * A key written while the scan runs may survive; run it after the run has stopped writing.
 * In a Redis Cluster it scans every master and unlinks key by key (keys of different slots).
 */
export async function deleteKeysByPattern(url: string, pattern: string, opts: DeleteOptions = {}): Promise<number> {
  if (literalHead(pattern).length === 0) {
    throw new ConfigError(`refusing to delete keys matching "${pattern}": the pattern must start with a literal prefix`, {
      pattern,
    });
  }
  const batch = opts.batch ?? 500;
  await detectCluster(url);
  const client = createClient({ url, name: 'fanin-harness-cleanup' });
  client.on('error', () => {
    /* commands reject with the error */
  });
  let deleted = 0;
  try {
    await connect(client, url);
    const cluster = isClusterClient(client);
    for (const node of await mastersOf(client)) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', batch);
        cursor = next;
        if (cluster) deleted += (await Promise.all(keys.map((k) => node.unlink(k)))).reduce((a, b) => a + b, 0);
        else for (let i = 0; i < keys.length; i += batch) deleted += await client.unlink(...keys.slice(i, i + batch));
      } while (cursor !== '0');
    }
  } finally {
    await client.quit().catch(() => client.disconnect());
  }
  return deleted;
}
