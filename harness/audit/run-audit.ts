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
import { clusterTopology, metricsOnNode, nodeUrl, onNode, replicaFinding, type ClusterTopology } from './cluster-audit.js';
import { displayKey } from './key-name.js';
import { applyRules, FANIN_RULES, GENERIC_RULES } from './rules/index.js';
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

/** Error counts summed over a cluster's masters; null when no node let INFO be read. */
function sumErrorStats(all: (Record<string, number> | null)[]): Record<string, number> | null {
  const known = all.filter((s): s is Record<string, number> => s !== null);
  if (known.length === 0) return null;
  const out: Record<string, number> = {};
  for (const s of known) for (const [k, v] of Object.entries(s)) out[k] = (out[k] ?? 0) + v;
  return out;
}

interface NodeAudit {
  facts: AuditFacts;
  findings: Finding[];
  rules: string[];
  metrics: Metric[];
  redisVersion: string;
}

async function auditNode(redis: Redis, o: z.output<typeof auditOptionsSchema>): Promise<NodeAudit> {
  const facts = await collectFacts(redis, o);
  // INFO may be refused to a minimal auditor user: the version is then unknown, not a failure
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server').catch(() => ''))?.[1] ?? 'unknown';
  const rules = o.mode === 'generic' ? GENERIC_RULES : o.mode === 'fanin' ? [serverConfigRule, ...FANIN_RULES] : [...GENERIC_RULES, ...FANIN_RULES];
  return {
    facts, findings: applyRules(facts, rules.map(namedRule)), rules: rules.map(ruleName), metrics: metricsOf(facts, facts.keysScanned, dbLabel(o.redis)), redisVersion,
  };
}

/** Every master of a cluster, each on its own connection; findings and metrics name their node. */
async function auditCluster(redis: Redis, topo: ClusterTopology, o: z.output<typeof auditOptionsSchema>): Promise<NodeAudit & { nodes: string[] }> {
  const parts: NodeAudit[] = [];
  for (const m of topo.masters) {
    const own = topo.givenRole === 'master' && m.name === topo.given.name;
    const conn = own ? redis : await connectAudit(nodeUrl(o.redis, m), o.connectTimeoutMs);
    try {
      const part = await auditNode(conn, o);
      parts.push({ ...part, findings: onNode(part.findings, m.name), metrics: metricsOnNode(part.metrics, m.name) });
    } finally {
      if (!own) conn.disconnect();
    }
  }
  const facts = parts[0].facts;
  return {
    nodes: topo.masters.map((m) => m.name),
    facts: {
      ...facts, keys: parts.flatMap((p) => p.facts.keys), truncated: parts.some((p) => p.facts.truncated), fanin: parts.flatMap((p) => p.facts.fanin),
      keysScanned: parts.reduce((a, p) => a + p.facts.keysScanned, 0), errorStats: sumErrorStats(parts.map((p) => p.facts.errorStats)),
    },
    findings: [...(topo.givenRole === 'replica' ? [{ ...replicaFinding(topo), rule: CLUSTER_RULE }] : []), ...parts.flatMap((p) => p.findings)],
    rules: [...(topo.givenRole === 'replica' ? [CLUSTER_RULE] : []), ...parts[0].rules],
    metrics: parts.flatMap((p) => p.metrics),
    redisVersion: parts[0].redisVersion,
  };
}

export async function runAudit(input: AuditOptions): Promise<AuditReport> {
  const o = parseOptions(auditOptionsSchema, input, 'audit');
  const started = Date.now();
  const redis = await connectAudit(o.redis, o.connectTimeoutMs);
  try {
    const topo = await clusterTopology(redis, new URL(seedUrls(o.redis)[0]).hostname);
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
      faninKeyspaces: facts.fanin.map((k) => ({ prefix: k.prefix, transport: k.transport, experiments: k.experiments.length, running: k.experiments.filter((e) => e.status === 'running').length })),
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
