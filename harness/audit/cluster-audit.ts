/**
 * The audit of a Redis Cluster: the node the URL names tells the topology (INFO cluster, then
 * CLUSTER NODES, both read-only; for a user refused CLUSTER NODES, the MOVED replies of one
 * read per slot: cluster-probe.ts), then every master is audited on its own connection (a master's SCAN
 * covers only its own slots) and the findings say which node each is on. A URL naming a
 * replica is audited through the masters, with a warning.
 */
import type { Redis } from 'ioredis';
import { seedUrls } from '../../src/index.js';
import type { Finding, Metric } from './audit-types.js';
import { movedNode, probeMasters } from './cluster-probe.js';

export interface ClusterNodeRef {
  host: string;
  port: number;
  /** host:port */
  name: string;
}

export interface ClusterTopology {
  masters: ClusterNodeRef[];
  /** the node the URL names */
  given: ClusterNodeRef;
  givenRole: 'master' | 'replica';
}

function nodeRef(addr: string, fallbackHost: string): ClusterNodeRef {
  const hostPort = addr.split('@')[0].split(',')[0];
  const i = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, i) || fallbackHost;
  const port = Number(hostPort.slice(i + 1));
  return { host, port, name: `${host}:${port}` };
}

/**
 * The cluster's masters (with slots, not failed), or null for a server without cluster support.
 * `seed`: the node the URL names (host, port); `prefix`: the audit's, for the slot probe's keys.
 */
export async function clusterTopology(redis: Redis, seed: { host: string; port: number }, prefix: string | null): Promise<ClusterTopology | null> {
  // INFO cluster first (an auditor may run INFO): a single server is never asked a CLUSTER
  // command, which an auditor's ACL may refuse (and log); without INFO, CLUSTER NODES decides
  const info = await redis.info('cluster').catch(() => null);
  if (info !== null && /cluster_enabled:0/.test(info)) return null;
  let text: string;
  try {
    text = String(await redis.call('CLUSTER', 'NODES'));
  } catch (err) {
    // refused to this user (NOPERM): the slots tell the masters (cluster-probe.ts); else
    // ERR This instance has cluster support disabled
    return isNoPerm(err) ? probedTopology(redis, seed, prefix, info !== null) : null;
  }
  return parseNodes(text, seed.host);
}

/** The Redis error code (its reply's first word) says the ACL refused the command. */
function isNoPerm(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOPERM');
}

function parseNodes(text: string, host: string): ClusterTopology | null {
  let given: ClusterTopology['given'] | undefined;
  let givenRole: ClusterTopology['givenRole'] = 'master';
  const masters: ClusterNodeRef[] = [];
  for (const line of text.trim().split('\n')) {
    const f = line.trim().split(' ');
    if (f.length < 8) continue;
    const flags = f[2].split(',');
    const ref = nodeRef(f[1], host);
    if (flags.includes('myself')) {
      given = ref;
      givenRole = flags.includes('slave') ? 'replica' : 'master';
    }
    if (flags.includes('master') && !flags.includes('fail') && f.length > 8) masters.push(ref);
  }
  if (!given) return null;
  masters.sort((a, b) => a.name.localeCompare(b.name));
  return { masters, given, givenRole };
}

/**
 * The topology from MOVED replies, for a user refused CLUSTER NODES. `infoSaysCluster`: INFO
 * said cluster_enabled:1 (else a node serving every slot may be a single server: null).
 */
async function probedTopology(redis: Redis, seed: { host: string; port: number }, prefix: string | null, infoSaysCluster: boolean): Promise<ClusterTopology | null> {
  const probe = await probeMasters(redis, prefix);
  if (probe.others.length === 0 && !infoSaysCluster) return null;
  const given: ClusterNodeRef = { host: seed.host, port: seed.port, name: `${seed.host}:${seed.port}` };
  const masters = probe.others.map((a) => movedNode(a, seed.host));
  if (probe.servesSlots) masters.push(given);
  masters.sort((a, b) => a.name.localeCompare(b.name));
  return { masters, given, givenRole: probe.servesSlots ? 'master' : 'replica' };
}

/** The audit URL with another node's host and port (same scheme, credentials, database). */
export function nodeUrl(url: string, node: ClusterNodeRef): string {
  const u = new URL(seedUrls(url)[0]);
  u.hostname = node.host;
  u.port = String(node.port);
  return u.toString();
}

/** Findings of one node, each saying so (field `node`, and in its title for every reporter). */
export function onNode(findings: Finding[], node: string): Finding[] {
  return findings.map((f) => ({ ...f, node, title: `[${node}] ${f.title}` }));
}

/**
 * Cross-key findings (judged over every master at once) name the masters their evidence keys
 * live on: `node` when they are all on one, and the title says which in either case.
 */
export function onEvidenceNodes(findings: Finding[]): Finding[] {
  return findings.map((f) => {
    const nodes = f.evidence.nodes ?? [];
    if (nodes.length === 0) return f;
    return { ...f, ...(nodes.length === 1 ? { node: nodes[0] } : {}), title: `[${nodes.join(', ')}] ${f.title}` };
  });
}

export function metricsOnNode(metrics: Metric[], node: string): Metric[] {
  return metrics.map((m) => ({ ...m, labels: { ...m.labels, node } }));
}

export function replicaFinding(t: ClusterTopology): Finding {
  return {
    code: 'CLUSTER_REPLICA_GIVEN',
    severity: 'warning',
    title: `${t.given.name} is a replica: the audit read the ${t.masters.length} masters instead (a replica may lag behind its master)`,
    node: t.given.name,
    evidence: { detail: t.masters.map((m) => `master ${m.name}`) },
    fix: 'point --redis at a master of the cluster',
  };
}
