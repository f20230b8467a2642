/**
 * `--provider cluster`: a fresh local Redis Cluster of redis-server processes (3 masters by
 * default, optional replicas) on free loopback ports, from the machine's binary like the
 * embedded provider (`--cluster-enabled yes`, `--save '' --appendonly no`, node files in a temp
 * dir). The cluster is formed over ioredis (CLUSTER ADDSLOTSRANGE, SET-CONFIG-EPOCH, MEET,
 * REPLICATE), so no redis-cli is needed, and it is ready once every replica's link to its
 * master is up and CLUSTER INFO says `cluster_state:ok` on every node. Each node runs in its own process group with a watchdog;
 * `stop()` stops exactly those processes (by pid).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { ConfigError, RedisUnavailableError } from '../../src/index.js';
import { findRedisServerBinary } from './embedded.js';
import { freeLoopbackPort } from './free-port.js';
import type { RedisProvider, StartedRedis } from './provider.js';
import { startRedisServer, stopRedisServer, watchServer } from './redis-server-process.js';
import { clusterControl, type ClusterControl, type RunningNode } from './cluster-control.js';
import { withClient } from './cluster-node-client.js';

export interface ClusterProviderOptions {
  /** masters (1 to 16; default 3; a failover needs ≥ 3, a majority of masters to vote) */
  masters?: number;
  /** replicas per master (default 0) */
  replicas?: number;
  /** milliseconds to wait for `cluster_state:ok` (default 30000) */
  readyTimeoutMs?: number;
  /** 'aof' (appendonly yes, appendfsync always): a node restarted with its nodes.conf keeps its data (default 'none') */
  persistence?: 'none' | 'aof';
}

export interface ClusterNode {
  readonly port: number;
  readonly url: string;
  readonly role: 'master' | 'replica';
  /** the master's port for a replica */
  readonly replicaOf?: number;
  pid(): number | undefined;
}

export interface StartedCluster extends StartedRedis {
  readonly nodes: readonly ClusterNode[];
  readonly cluster: ClusterControl;
}

const SLOTS = 16_384;

/** A node's arguments: the same on a restart (same ports, same nodes.conf, same append-only file). */
function nodeArgs(dir: string, port: number, bus: number, persistence: 'none' | 'aof'): string[] {
  return [
    '--dir', join(dir, String(port)), '--save', '', ...(persistence === 'aof' ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    '--cluster-enabled', 'yes', '--cluster-announce-ip', '127.0.0.1', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-port', String(bus), '--cluster-node-timeout', '2000',
  ];
}

async function startNode(binary: string, dir: string, persistence: 'none' | 'aof'): Promise<RunningNode> {
  let last: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const [port, bus] = [await freeLoopbackPort(), await freeLoopbackPort()];
    if (port === bus) continue;
    mkdirSync(join(dir, String(port)), { recursive: true });
    const args = nodeArgs(dir, port, bus, persistence);
    try {
      const server = await startRedisServer(binary, port, args);
      return { server, bus, args, watchdog: watchServer(server.child.pid!), role: 'master' };
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

/** Slots, epochs and MEETs; replicas follow their master once every node knows it. */
async function formCluster(masters: number[], replicas: { port: number; of: number }[], bus: Map<number, number>, timeoutMs: number): Promise<void> {
  const all = [...masters, ...replicas.map((r) => r.port)];
  for (let i = 0; i < masters.length; i++) {
    const from = Math.floor((i * SLOTS) / masters.length);
    const to = Math.floor(((i + 1) * SLOTS) / masters.length) - 1;
    await withClient(masters[i], async (r) => {
      await r.call('CLUSTER', 'ADDSLOTSRANGE', from, to);
      await r.call('CLUSTER', 'SET-CONFIG-EPOCH', i + 1);
    });
  }
  await withClient(all[0], async (r) => {
    for (const p of all.slice(1)) await r.call('CLUSTER', 'MEET', '127.0.0.1', p, bus.get(p)!);
  });
  const deadline = Date.now() + timeoutMs;
  for (const rep of replicas) {
    const masterId = String(await withClient(rep.of, (r) => r.call('CLUSTER', 'MYID')));
    for (;;) {
      try {
        await withClient(rep.port, (r) => r.call('CLUSTER', 'REPLICATE', masterId));
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(100); // the replica does not know its master yet
      }
    }
  }
  // a replica counts once its link to the master is up (a never-synced replica is never promoted)
  for (const rep of replicas) {
    while (!/master_link_status:up/.test(await withClient(rep.port, (r) => r.info('replication')))) {
      if (Date.now() > deadline) throw new RedisUnavailableError(`replica 127.0.0.1:${rep.port} did not sync with its master within ${timeoutMs} ms`, { port: rep.port });
      await sleep(100);
    }
  }
  for (const p of all) {
    while (!/cluster_state:ok/.test(String(await withClient(p, (r) => r.call('CLUSTER', 'INFO'))))
      || (await withClient(p, (r) => r.call('CLUSTER', 'NODES'))as string).trim().split('\n').length < all.length) {
      if (Date.now() > deadline) throw new RedisUnavailableError(`the local cluster did not reach cluster_state:ok within ${timeoutMs} ms (node 127.0.0.1:${p})`, { port: p });
      await sleep(100);
    }
  }
}

export class ClusterRedisProvider implements RedisProvider {
  readonly name = 'cluster' as const;
  readonly supportedFaults = ['restart-node', 'failover', 'migrate-slot'] as const;
  private readonly masters: number;
  private readonly persistence: 'none' | 'aof';
  private readonly replicas: number;
  private readonly readyTimeoutMs: number;

  constructor(opts: ClusterProviderOptions = {}) {
    this.masters = opts.masters ?? 3;
    this.replicas = opts.replicas ?? 0;
    this.readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
    this.persistence = opts.persistence ?? 'none';
    if (!Number.isInteger(this.masters) || this.masters < 1 || this.masters > 16) {
      throw new ConfigError(`a local cluster needs 1 to 16 masters, got ${this.masters}`, { masters: this.masters });
    }
    if (!Number.isInteger(this.replicas) || this.replicas < 0 || this.replicas > 2) {
      throw new ConfigError(`replicas per master must be 0, 1 or 2, got ${this.replicas}`, { replicas: this.replicas });
    }
  }

  async start(): Promise<StartedCluster> {
    const binary = findRedisServerBinary();
    if (!binary) throw new RedisUnavailableError('no redis-server binary: install one (Debian: apt-get install redis-server) or set REDIS_SERVER_BIN');
    const dir = mkdtempSync(join(tmpdir(), 'fanin-cluster-'));
    const running: RunningNode[] = [];
    const stopAll = async () => {
      await Promise.all(running.map(async (n) => {
        await stopRedisServer(n.server);
        n.watchdog.kill('SIGKILL');
      }));
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      for (let i = 0; i < this.masters * (1 + this.replicas); i++) {
        const node = await startNode(binary, dir, this.persistence);
        const isMaster = i < this.masters;
        running.push({ ...node, role: isMaster ? 'master' : 'replica', replicaOf: isMaster ? undefined : running[(i - this.masters) % this.masters].server.port });
      }
      const replicas = running.filter((n) => n.role === 'replica').map((n) => ({ port: n.server.port, of: n.replicaOf! }));
      await formCluster(running.slice(0, this.masters).map((n) => n.server.port), replicas, new Map(running.map((n) => [n.server.port, n.bus])), this.readyTimeoutMs);
    } catch (err) {
      await stopAll();
      throw err;
    }
    let stopped: Promise<void> | undefined;
    const masters = running.filter((n) => n.role === 'master').map((n) => `127.0.0.1:${n.server.port}`);
    return {
      // every master is a seed: a client started while one master is down still finds the cluster
      url: `redis://${masters.join(',')}`,
      owned: true,
      cluster: clusterControl(binary, running, this.persistence, this.readyTimeoutMs),
      nodes: running.map((n) => ({
        port: n.server.port, url: `redis://127.0.0.1:${n.server.port}`, role: n.role, replicaOf: n.replicaOf, pid: () => n.server.child.pid,
      })),
      stop: () => (stopped ??= stopAll()),
    };
  }
}
