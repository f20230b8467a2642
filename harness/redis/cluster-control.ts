/**
 * Process-level control of a local cluster the harness started (ClusterRedisProvider): kill a
 * node (SIGKILL), start it again on the same ports with the same nodes.conf (and, with AOF, its
 * data), ask the live nodes who serves a slot, and wait until the cluster is whole again. The
 * cluster faults (harness/nemesis/faults/cluster-*.ts) act through it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';
import { RedisUnavailableError } from '../../src/index.js';
import { parseClusterNodes, withClient, type NodeLine } from './cluster-node-client.js';
import { startRedisServer, watchServer, type RedisServerProcess } from './redis-server-process.js';

export interface RunningNode {
  server: RedisServerProcess;
  bus: number;
  args: string[];
  watchdog: ChildProcess;
  role: 'master' | 'replica';
  replicaOf?: number;
}

export interface ClusterControl {
  readonly persistence: 'none' | 'aof';
  /** replicas per master the cluster was started with */
  readonly replicasPerMaster: number;
  /** ports of every node the harness started */
  ports(): number[];
  alive(port: number): boolean;
  pid(port: number): number | undefined;
  /** CLUSTER NODES as a live node sees it */
  topology(): Promise<NodeLine[]>;
  /** the slot of a key (CLUSTER KEYSLOT) */
  slotOf(key: string): Promise<number>;
  /** the port of the master serving `slot` now */
  ownerOf(slot: number): Promise<number>;
  /** SIGKILL the node; resolves once it exited */
  kill(port: number): Promise<number | undefined>;
  /** starts a killed node again on its ports with its nodes.conf (and AOF); resolves once it answers PING */
  start(port: number): Promise<number | undefined>;
  /** until every live node says cluster_state:ok and knows every node it should */
  waitHealthy(timeoutMs: number): Promise<void>;
}

const isAlive = (n: RunningNode) => n.server.child.exitCode === null && n.server.child.signalCode === null;

export function clusterControl(binary: string, running: RunningNode[], persistence: 'none' | 'aof', defaultTimeoutMs: number): ClusterControl {
  const masters = running.filter((n) => n.role === 'master').length;
  const byPort = (port: number): RunningNode => {
    const n = running.find((x) => x.server.port === port);
    if (!n) throw new RedisUnavailableError(`no node of the local cluster on port ${port}`, { port });
    return n;
  };
  const anyLive = (): number => {
    const n = running.find(isAlive);
    if (!n) throw new RedisUnavailableError('every node of the local cluster is down');
    return n.server.port;
  };
  const control: ClusterControl = {
    persistence,
    replicasPerMaster: Math.round((running.length - masters) / masters),
    ports: () => running.map((n) => n.server.port),
    alive: (port) => isAlive(byPort(port)),
    pid: (port) => byPort(port).server.child.pid,
    topology: async () => parseClusterNodes(String(await withClient(anyLive(), (r) => r.call('CLUSTER', 'NODES')))),
    slotOf: async (key) => Number(await withClient(anyLive(), (r) => r.call('CLUSTER', 'KEYSLOT', key))),
    async ownerOf(slot) {
      const owner = (await control.topology()).find((l) => l.flags.includes('master') && !l.flags.includes('fail') && l.slots.some(([a, b]) => slot >= a && slot <= b));
      if (!owner) throw new RedisUnavailableError(`no live master serves slot ${slot}`, { slot });
      return owner.port;
    },
    async kill(port) {
      const n = byPort(port);
      const pid = n.server.child.pid;
      if (isAlive(n)) n.server.child.kill('SIGKILL');
      await n.server.exited;
      return pid;
    },
    async start(port) {
      const n = byPort(port);
      if (isAlive(n)) return n.server.child.pid;
      n.server = await startRedisServer(binary, port, n.args);
      n.watchdog.kill('SIGKILL');
      n.watchdog = watchServer(n.server.child.pid!);
      return n.server.child.pid;
    },
    async waitHealthy(timeoutMs = defaultTimeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const live = running.filter(isAlive).map((n) => n.server.port);
        const states = await Promise.all(live.map((p) => withClient(p, async (r) => {
          const info = String(await r.call('CLUSTER', 'INFO'));
          const lines = parseClusterNodes(String(await r.call('CLUSTER', 'NODES')));
          // whole: state ok and no live node flagged as failing or unreachable
          return /cluster_state:ok/.test(info) && lines.every((l) => !live.includes(l.port) || !l.flags.some((f) => f === 'fail' || f === 'fail?' || f === 'noaddr'));
        }).catch(() => false)));
        if (states.every(Boolean)) return;
        if (Date.now() > deadline) throw new RedisUnavailableError(`the local cluster was not whole again within ${timeoutMs} ms`, { live });
        await sleep(100);
      }
    },
  };
  return control;
}
