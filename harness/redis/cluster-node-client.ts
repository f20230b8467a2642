/** A short-lived direct connection to one node of a local cluster (no redirections followed). */
import { Redis } from 'ioredis';

export async function withClient<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

/** One line of CLUSTER NODES: `<id> <ip:port@bus> <flags> <master> … <slots…>`. */
export interface NodeLine {
  id: string;
  port: number;
  flags: string[];
  /** the master's id for a replica, else '-' */
  master: string;
  /** slot ranges it serves, e.g. [[0, 5460]] */
  slots: [number, number][];
}

export function parseClusterNodes(text: string): NodeLine[] {
  return text.trim().split('\n').filter(Boolean).map((line) => {
    const f = line.split(' ');
    const slots = f.slice(8).filter((s) => !s.startsWith('[')).map((s) => {
      const [a, b] = s.split('-').map(Number);
      return [a, b ?? a] as [number, number];
    });
    return { id: f[0], port: Number(/:(\d+)@/.exec(f[1])?.[1] ?? 0), flags: f[2].split(','), master: f[3], slots };
  });
}
