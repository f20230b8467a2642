/**
 * `fanin audit`: a read-only coordination audit of a live Redis. Collects facts with read
 * commands only (SCAN, TYPE, PTTL, XINFO, XPENDING, bounded XRANGE/LRANGE/ZRANGE, LLEN, XLEN,
 * HGETALL/HKEYS on experiment hashes, HGET/ZSCORE for untimed task data, INFO, CONFIG GET), then applies pure rules.
 */
import { Redis } from 'ioredis';
import { z } from 'zod';
import { connect, detectCluster, parseOptions, parseRedisUrl, redactUrl, RedisUnavailableError, seedUrls, tlsOptionsFor } from '../../src/index.js';
import type { AuditFacts } from './audit-facts.js';
import { collectFacts } from './collect-facts.js';
import { AUDIT_SCHEMA, type AuditReport, type Finding, type Metric } from './audit-types.js';
import { clusterTopology, metricsOnNode, nodeUrl, onEvidenceNodes, onNode, replicaFinding, type ClusterNodeRef, type ClusterTopology } from './cluster-audit.js';
import { collectClusterFacts, type MasterConnection } from './cluster-facts.js';
import { displayKey } from './key-name.js';
import { applyRules, CROSS_KEY_RULES, FANIN_RULES, GENERIC_RULES, sortFindings } from './rules/index.js';
import { serverConfigRule } from './rules/server-config.js';
import { CLUSTER_RULE, namedRule, ruleName } from './rule-name.js';

/** Collects the facts of a Redis (read-only); exported for the diagnose health snapshot's reuse. */
export { collectFacts };

export const auditOptionsSchema = z
  .object({
    redis: z.string().min(1),
    prefix: z.string().min(1).nullable().default(null),
    mode: z.enum(['fanin', 'generic', 'auto']).default('auto'),
    maxKeys: z.number().int().min(1).default(100_000),
    pendingAgeMs: z.number().int().min(0).default(60_000),
    idleAgeMs: z.number().int().min(0).default(300_000),
    streamLength: z.number().int().min(1).default(1_000_000),
    /** live entries read per queue to decide which tasks are alive */
    sampleCap: z.number().int().min(10).default(10_000),
    connectTimeoutMs: z.number().int().min(1).default(5_000),
  })
  .strict();
export type AuditOptions = z.input<typeof auditOptionsSchema>;
type AuditMode = z.output<typeof auditOptionsSchema>['mode'];

/**
 * Connects read-only (no CLIENT SETNAME, no writes) or throws RedisUnavailableError saying why
 * (its `reason`: refused, timeout, auth, acl, tls, not-redis, no-db...; see connect-error.ts).
 */
export async function connectAudit(url: string, timeoutMs: number): Promise<Redis> {
  parseRedisUrl(url);
  // no CLIENT SETINFO (connection metadata, and an ACL-log denial for a minimal auditor user) and
  // no INFO ready check (PING proves the connection): the auditor needs no more than reads and PING
  // a cluster's seed list: the first seed tells the topology (cluster-audit.ts)
  const redis = new Redis(seedUrls(url)[0], {
    lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: 30_000, maxRetriesPerRequest: 1, retryStrategy: () => null, enableOfflineQueue: true,
    disableClientInfo: true, enableReadyCheck: false, tls: tlsOptionsFor(url),
  });
  redis.on('error', () => undefined);
  // AUTH awaited, PING, SELECT of the URL's database: a wrong password never audits as someone else
  await connect(redis, url, timeoutMs).catch(async (err: unknown) => {
    // a cluster refuses SELECT: the core's detection makes a database other than 0 on a cluster
    // INVALID_CONFIG (probed only then: a single server is never asked a CLUSTER command)
    if (err instanceof RedisUnavailableError && err.reason === 'no-db') await detectCluster(url, timeoutMs);
    throw err;
  });
  redis.options.enableOfflineQueue = false;
  return redis;
}

/** `db0`: the database label redis_exporter gives stream metrics, from the URL's path. */
function dbLabel(url: string): string {
  return `db${Number(parseRedisUrl(url).pathname.replace(/^\//, '') || 0)}`;
}

/** Metric names and labels as redis_exporter's where it has them (docs/cli.md lists them). */
function metricsOf(facts: AuditFacts, keysScanned: number, db: string): Metric[] {
  const m: Metric[] = [{ name: 'fanin_audit_keys_scanned', labels: {}, value: keysScanned }];
  for (const s of facts.streams.values()) {
    m.push({ name: 'redis_stream_length', labels: { db, stream: s.key.name }, value: s.length });
    m.push({ name: 'redis_stream_groups', labels: { db, stream: s.key.name }, value: s.groups.length });
    for (const g of s.groups) {
      const l = { db, stream: s.key.name, group: displayKey(g.raw) };
      m.push({ name: 'redis_stream_group_messages_pending', labels: l, value: g.pending });
      if (g.lag !== null) m.push({ name: 'redis_stream_group_lag', labels: l, value: g.lag });
      // redis_exporter has only consumer idle times: the group's oldest pending entry, per group
      if (g.oldestPending) m.push({ name: 'fanin_stream_group_oldest_pending_idle_seconds', labels: l, value: g.oldestPending.idleMs / 1000 });
      m.push({ name: 'redis_stream_group_consumers', labels: l, value: g.consumers.length });
      for (const c of g.consumers) {
        m.push({ name: 'redis_stream_group_consumer_idle_seconds', labels: { ...l, consumer: displayKey(c.raw) }, value: c.idleMs / 1000 });
        m.push({ name: 'redis_stream_group_consumer_messages_pending', labels: { ...l, consumer: displayKey(c.raw) }, value: c.pending });
      }
    }
  }
  for (const ks of facts.fanin) {
    for (const status of ['running', 'completed', 'failed'] as const) {
      m.push({ name: 'fanin_experiments', labels: { prefix: ks.prefix, status }, value: ks.experiments.filter((e) => e.status === status).length });
    }
    m.push({ name: 'fanin_dead_letter_length', labels: { prefix: ks.prefix }, value: ks.deadLetters.reduce((a, d) => a + d.length, 0) });
  }
  return m;
}

interface NodeAudit {
  facts: AuditFacts;
  findings: Finding[];
  rules: string[];
  metrics: Metric[];
  redisVersion: string;
}

type Rule = (f: AuditFacts) => Finding[];

function rulesFor(mode: AuditMode): Rule[] {
  return mode === 'generic' ? GENERIC_RULES : mode === 'fanin' ? [serverConfigRule, ...FANIN_RULES] : [...GENERIC_RULES, ...FANIN_RULES];
}

/** INFO may be refused to a minimal auditor user: the version is then unknown, not a failure */
async function versionOf(redis: Redis): Promise<string> {
  return /redis_version:(\S+)/.exec(await redis.info('server').catch(() => ''))?.[1] ?? 'unknown';
}

async function auditNode(redis: Redis, o: z.output<typeof auditOptionsSchema>): Promise<NodeAudit> {
  const facts = await collectFacts(redis, o);
  const rules = rulesFor(o.mode);
  return {
    facts, findings: applyRules(facts, rules.map(namedRule)), rules: rules.map(ruleName), metrics: metricsOf(facts, facts.keysScanned, dbLabel(o.redis)), redisVersion: await versionOf(redis),
  };
}

/**
 * Every master of a cluster, each on its own connection, their scans feeding one aggregate
 * (cluster-facts.ts): the cross-key rules judge the whole keyspace once, the other rules each
 * master; findings and metrics name their node(s).
 */
async function auditCluster(redis: Redis, topo: ClusterTopology, o: z.output<typeof auditOptionsSchema>): Promise<NodeAudit & { nodes: string[] }> {
  const masters: MasterConnection[] = [];
  const isGiven = (m: ClusterNodeRef) => topo.givenRole === 'master' && m.name === topo.given.name;
  try {
    for (const m of topo.masters) masters.push({ node: m.name, redis: isGiven(m) ? redis : await connectAudit(nodeUrl(o.redis, m), o.connectTimeoutMs) });
    const { perNode, whole } = await collectClusterFacts(masters, o);
    const rules = rulesFor(o.mode);
    const crossKey = rules.filter((r) => CROSS_KEY_RULES.includes(r)).map(namedRule);
    const ownNode = rules.filter((r) => !CROSS_KEY_RULES.includes(r)).map(namedRule);
    const replica = topo.givenRole === 'replica' ? [{ ...replicaFinding(topo), rule: CLUSTER_RULE }] : [];
    return {
      nodes: topo.masters.map((m) => m.name),
      facts: whole,
      findings: [...replica, ...sortFindings([...perNode.flatMap((p) => onNode(applyRules(p.facts, ownNode), p.node)), ...onEvidenceNodes(applyRules(whole, crossKey))])],
      rules: [...(replica.length > 0 ? [CLUSTER_RULE] : []), ...rules.map(ruleName)],
      metrics: perNode.flatMap((p) => metricsOnNode(metricsOf(p.facts, p.facts.keysScanned, dbLabel(o.redis)), p.node)),
      redisVersion: await versionOf(masters[0].redis),
    };
  } finally {
    for (const [i, m] of masters.entries()) if (!isGiven(topo.masters[i])) m.redis.disconnect();
  }
}

/** One entry per fanin keyspace: on a cluster each master holds part of its experiments. */
function keyspaceSummary(fanin: AuditFacts['fanin']): AuditReport['faninKeyspaces'] {
  const byPrefix = new Map<string, AuditReport['faninKeyspaces'][number]>();
  for (const k of fanin) {
    const s = byPrefix.get(k.prefix) ?? { prefix: k.prefix, transport: k.transport, experiments: 0, running: 0 };
    s.experiments += k.experiments.length;
    s.running += k.experiments.filter((e) => e.status === 'running').length;
    byPrefix.set(k.prefix, s);
  }
  return [...byPrefix.values()];
}

export async function runAudit(input: AuditOptions): Promise<AuditReport> {
  const o = parseOptions(auditOptionsSchema, input, 'audit');
  const started = Date.now();
  const redis = await connectAudit(o.redis, o.connectTimeoutMs);
  try {
    const seed = new URL(seedUrls(o.redis)[0]);
    const topo = await clusterTopology(redis, { host: seed.hostname, port: Number(seed.port || 6379) }, o.prefix);
    const { facts, findings, rules, metrics, redisVersion, nodes } = topo ? await auditCluster(redis, topo, o) : { ...(await auditNode(redis, o)), nodes: undefined };
    return {
      schema: AUDIT_SCHEMA,
      target: redactUrl(o.redis),
      mode: o.mode,
      prefix: o.prefix,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      redisVersion,
      keysScanned: facts.keysScanned,
      truncated: facts.truncated,
      thresholds: facts.thresholds,
      ...(nodes ? { nodes } : {}),
      errorStats: facts.errorStats,
      maxmemoryPolicy: facts.maxmemoryPolicy,
      faninKeyspaces: keyspaceSummary(facts.fanin),
      findings,
      rules,
      counts: {
        critical: findings.filter((f) => f.severity === 'critical').length,
        warning: findings.filter((f) => f.severity === 'warning').length,
        info: findings.filter((f) => f.severity === 'info').length,
      },
      metrics,
    };
  } finally {
    redis.disconnect();
  }
}
