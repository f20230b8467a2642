/**
 * A local Redis Cluster of ONE master (all 16384 slots on one redis-server started with
 * `--cluster-enabled yes`), the baseline of bench/cluster.ts. Redis accepts a one-master
 * cluster, but `ClusterRedisProvider` refuses fewer than 3 masters (harness/redis/cluster.ts,
 * which this bench may not change); once it accepts `masters: 1` this file can go. Built from
 * the same harness pieces: the machine's binary, a free port and bus port, its own process
 * group with a watchdog, stopped by pid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { ClusterNode, StartedCluster } from '../harness/redis/cluster.js';
import { findRedisServerBinary } from '../harness/redis/embedded.js';
import { freeLoopbackPort } from '../harness/redis/free-port.js';
import { startRedisServer, stopRedisServer, watchServer } from '../harness/redis/redis-server-process.js';
import { RedisUnavailableError } from '../src/index.js';

const READY_TIMEOUT_MS = 30_000;

async function formOneMaster(port: number): Promise<void> {
  const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.call('CLUSTER', 'ADDSLOTSRANGE', 0, 16_383);
    await r.call('CLUSTER', 'SET-CONFIG-EPOCH', 1);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!/cluster_state:ok/.test(String(await r.call('CLUSTER', 'INFO')))) {
      if (Date.now() > deadline) throw new RedisUnavailableError(`the one-master cluster on 127.0.0.1:${port} did not reach cluster_state:ok within ${READY_TIMEOUT_MS} ms`, { port });
      await sleep(50);
    }
  } finally {
    r.disconnect();
  }
}

export async function startOneMasterCluster(): Promise<StartedCluster> {
  const binary = findRedisServerBinary();
  if (!binary) throw new RedisUnavailableError('no redis-server binary: install one (Debian: apt-get install redis-server) or set REDIS_SERVER_BIN');
  const dir = mkdtempSync(join(tmpdir(), 'fanin-cluster-1-'));
  const port = await freeLoopbackPort();
  let bus = await freeLoopbackPort();
  while (bus === port) bus = await freeLoopbackPort();
  const server = await startRedisServer(binary, port, [
    '--dir', dir, '--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes',
    '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-port', String(bus),
    // a node that never met another does not know its own address: CLUSTER SLOTS would name
    // it "" and the cluster client could not connect
    '--cluster-announce-ip', '127.0.0.1',
  ]).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  const watchdog = watchServer(server.child.pid!);
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= (async () => {
    await stopRedisServer(server);
    watchdog.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  })());
  try {
    await formOneMaster(port);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = `redis://127.0.0.1:${port}`;
  const node: ClusterNode = { port, url, role: 'master', pid: () => server.child.pid };
  return { url, owned: true, nodes: [node], stop };
}
