/** A real local Redis Cluster (3 masters) per test file, from the harness's cluster provider. */
import { afterAll, beforeAll } from 'vitest';
import { Redis } from 'ioredis';
import { ClusterRedisProvider, type StartedCluster } from '../../harness/redis/cluster.js';

export function useCluster(opts: { replicas?: number } = {}): { readonly cluster: StartedCluster; readonly masters: number[] } {
  let cluster: StartedCluster | undefined;
  beforeAll(async () => {
    cluster = await new ClusterRedisProvider({ replicas: opts.replicas ?? 0 }).start();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);
  return {
    get cluster() {
      return cluster!;
    },
    get masters() {
      return cluster!.nodes.filter((n) => n.role === 'master').map((n) => n.port);
    },
  };
}

/** Per master port: calls of Lua scripts (EVAL + EVALSHA) since its last CONFIG RESETSTAT, and its key count. */
export async function statsPerMaster(masters: number[], reset = false): Promise<Map<number, { scripts: number; keys: number }>> {
  const { Redis } = await import('ioredis');
  const out = new Map<number, { scripts: number; keys: number }>();
  for (const port of masters) {
    const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
    await r.connect();
    if (reset) await r.config('RESETSTAT');
    const stats = await r.info('commandstats');
    const calls = (cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    out.set(port, { scripts: calls('evalsha') + calls('eval'), keys: await r.dbsize() });
    r.disconnect();
  }
  return out;
}

/** Per master port: the number of keys matching `pattern` it holds (SCAN MATCH on that master). */
export async function keysPerMaster(masters: number[], pattern: string): Promise<Map<number, number>> {
  const { Redis } = await import('ioredis');
  const out = new Map<number, number>();
  for (const port of masters) {
    const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
    await r.connect();
    let cursor = '0';
    let count = 0;
    do {
      const [next, batch] = await r.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      count += batch.length;
    } while (cursor !== '0');
    out.set(port, count);
    r.disconnect();
  }
  return out;
}

/**
 * Plain connections to single cluster nodes (`node(port)`) and any other client a test opens
 * (`track(client)`), all disconnected after the file's tests.
 */
export function nodeConnections(): { node: (port: number) => Promise<Redis>; track: <T extends { disconnect(): void }>(client: T) => T } {
  const opened: { disconnect(): void }[] = [];
  afterAll(() => { for (const r of opened) r.disconnect(); });
  const track = <T extends { disconnect(): void }>(client: T): T => { opened.push(client); return client; };
  const node = async (port: number): Promise<Redis> => {
    const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
    await r.connect();
    return track(r);
  };
  return { node, track };
}
