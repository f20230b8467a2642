/**
 * Every audit finding from a problem created for real on a real redis-server, with its code,
 * severity and evidence; and the negatives: a clean diagnose run has no finding at all, generic
 * mode skips the fanin rules, --prefix limits the scan, --max-keys truncates.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { runAudit, type AuditOptions } from '../../../harness/audit/run-audit.js';
import { auditOf, codes, only } from './audit-helpers.js';
import { Orchestrator } from '../../../src/pipeline/orchestrator.js';
import { DEMO_PIPELINE } from '../../support/demo-pipeline.js';
import { useRedis } from '../../support/redis.js';
import {
  addEntries, cleanRun, CONSUMER_GROUP, deadLetter, deadWorkerItems, evictionPolicy, ghostPending, lagWithoutConsumer, mixedQueue,
  pastDeadline, roleMismatch, sleep, stuckFanIn, taskWithoutTtl, unackedConsumer, wrongTypeKey,
} from './fixture-builder.js';

const srv = useRedis();

beforeEach(async () => {
  await srv.client.flushall();
  await srv.client.config('SET', 'maxmemory-policy', 'noeviction');
});

const audit = (o: Partial<AuditOptions> = {}) => auditOf(srv.url)(o);

describe('server configuration', () => {
  it('an evicting maxmemory-policy → EVICTION_POLICY, critical', async () => {
    await evictionPolicy(srv.client, 'allkeys-lru');
    const r = await audit();
    expect(codes(r)).toEqual(['EVICTION_POLICY']);
    const f = only(r, 'EVICTION_POLICY');
    expect(f.severity).toBe('critical');
    expect(f.evidence.detail).toEqual(['maxmemory-policy allkeys-lru']);
    expect(r.counts).toEqual({ critical: 1, warning: 0, info: 0 });
  });

  it('an empty server with noeviction has no finding', async () => {
    const r = await audit({ pendingAgeMs: 0, idleAgeMs: 0 });
    expect(r.findings).toEqual([]);
    expect(r.keysScanned).toBe(0);
    expect(r.redisVersion).toMatch(/^\d+\.\d+/);
  });
});

describe('generic stream rules', () => {
  it('a consumer that never acknowledges → STREAM_PENDING_OLD (warning) and STREAM_DEAD_CONSUMER (critical)', async () => {
    const { ids, group, consumer } = await unackedConsumer(srv.client, 'orders', { count: 3 });
    // not old yet under the default thresholds
    expect((await audit()).findings).toEqual([]);
    await sleep(150);
    const r = await audit({ pendingAgeMs: 100, idleAgeMs: 100 });
    expect(codes(r)).toEqual(['STREAM_DEAD_CONSUMER', 'STREAM_PENDING_OLD']);
    const old = only(r, 'STREAM_PENDING_OLD');
    expect(old.severity).toBe('warning');
    expect(old.title).toContain(`group ${group} on orders`);
    expect(old.evidence.keys).toEqual(['orders']);
    expect(old.evidence.messageIds).toEqual(ids);
    expect(old.evidence.consumers).toEqual([consumer]);
    expect(old.evidence.counts).toEqual({ pending: 3, maxDeliveries: 1 });
    expect(old.evidence.agesMs!.oldestIdle).toBeGreaterThanOrEqual(100);
    const dead = only(r, 'STREAM_DEAD_CONSUMER');
    expect(dead.severity).toBe('critical');
    expect(dead.evidence.keys).toEqual(['orders']);
    expect(dead.evidence.consumers).toEqual([consumer]);
    expect(dead.evidence.counts).toEqual({ [`pending:${consumer}`]: 3 });
    expect(dead.evidence.agesMs![`idle:${consumer}`]).toBeGreaterThanOrEqual(100);
    // metrics in redis_exporter names
    expect(r.metrics).toContainEqual({ name: 'redis_stream_group_messages_pending', labels: { db: 'db0', stream: 'orders', group }, value: 3 });
  });

  it('a consumer that read recently is alive even when its older entries are old', async () => {
    const { consumer, ids } = await unackedConsumer(srv.client, 'orders', { count: 2 });
    // its entries are made ten minutes old (XCLAIM ... IDLE), no sleep: the ages do not depend on the machine's speed
    await srv.client.call('XCLAIM', 'orders', 'workers', consumer, 0, ...ids, 'IDLE', 600_000);
    // the consumer reads a new entry (Redis 7.0 resets idle on a successful read only); its older entries stay old
    await srv.client.xadd('orders', '*', 'job', 'new');
    await srv.client.xreadgroup('GROUP', 'workers', consumer, 'COUNT', 1, 'STREAMS', 'orders', '>');
    const r = await audit({ pendingAgeMs: 60_000, idleAgeMs: 60_000 });
    expect(codes(r)).toEqual(['STREAM_PENDING_OLD']);
    expect(only(r, 'STREAM_PENDING_OLD').evidence).toMatchObject({ messageIds: ids, counts: { pending: 3 } });
  });

  it('a stream trimmed under unacknowledged entries → STREAM_GHOST_PENDING (warning) naming every gone id', async () => {
    const { ghosts, group } = await ghostPending(srv.client, 'trimmed-jobs', 'trim', 3);
    const r = await audit();
    expect(codes(r)).toEqual(['STREAM_GHOST_PENDING']);
    const f = only(r, 'STREAM_GHOST_PENDING');
    expect(f.severity).toBe('warning');
    expect(f.title).toContain(`group ${group} on trimmed-jobs`);
    expect(f.evidence.keys).toEqual(['trimmed-jobs']);
    expect(f.evidence.messageIds).toEqual(ghosts);
    expect(f.evidence.counts).toEqual({ pending: 3 });
  });

  it('XDEL of one unacknowledged entry → STREAM_GHOST_PENDING with only that id', async () => {
    const { ghosts } = await ghostPending(srv.client, 'deleted-jobs', 'del', 3);
    const f = only(await audit(), 'STREAM_GHOST_PENDING');
    expect(f.evidence.messageIds).toEqual(ghosts);
    expect(ghosts).toHaveLength(1);
  });

  it('a group with undelivered entries and no consumer → STREAM_LAG_NO_CONSUMER (critical)', async () => {
    const { group } = await lagWithoutConsumer(srv.client, 'backlog', 4);
    const r = await audit();
    expect(codes(r)).toEqual(['STREAM_LAG_NO_CONSUMER']);
    const f = only(r, 'STREAM_LAG_NO_CONSUMER');
    expect(f.severity).toBe('critical');
    expect(f.title).toContain(`group ${group} on backlog has 4 undelivered entries`);
    expect(f.evidence).toMatchObject({ keys: ['backlog'], consumers: [], counts: { lag: 4, consumers: 0 } });
  });

  it('a stream past the length bound → STREAM_UNBOUNDED (warning)', async () => {
    await addEntries(srv.client, 'events-log', 12);
    const r = await audit({ streamLength: 10 });
    expect(codes(r)).toEqual(['STREAM_UNBOUNDED']);
    expect(only(r, 'STREAM_UNBOUNDED')).toMatchObject({ severity: 'warning', evidence: { keys: ['events-log'], counts: { length: 12 } } });
    expect((await audit({ streamLength: 12 })).findings).toEqual([]);
  });
});

describe('mixed coordination patterns', () => {
  it('alpha:orchestrator.tasks list + beta:orchestrator.tasks stream → MIXED_COORDINATION (critical)', async () => {
    const { list, stream } = await mixedQueue(srv.client);
    const r = await audit();
    expect(codes(r)).toEqual(['MIXED_COORDINATION']);
    const f = only(r, 'MIXED_COORDINATION');
    expect(f.severity).toBe('critical');
    expect(f.title).toMatch(/^queue name "orchestrator.tasks" is a list in 1 key\(s\) and a stream in 1/);
    expect(f.evidence.keys).toEqual([list, stream]);
    expect(f.evidence.counts).toEqual({ lists: 1, streams: 1 });
  });

  it('a key named like a stream that is a list → KEY_ROLE_MISMATCH (warning)', async () => {
    const key = await roleMismatch(srv.client);
    const r = await audit();
    expect(codes(r)).toEqual(['KEY_ROLE_MISMATCH']);
    expect(only(r, 'KEY_ROLE_MISMATCH')).toMatchObject({ severity: 'warning', evidence: { keys: [key], detail: ['type list, name suggests stream'] } });
  });
});

describe('fanin keyspaces built with the real core', () => {
  it('a task-data key without TTL → FANIN_TASK_WITHOUT_TTL (warning)', async () => {
    const { key, taskKeys } = await taskWithoutTtl(srv.client, srv.url, 'ttl');
    const r = await audit({ pendingAgeMs: 0, idleAgeMs: 0 });
    expect(r.faninKeyspaces).toEqual([{ prefix: 'ttl', transport: 'streams', experiments: 1, running: 0 }]);
    expect(codes(r)).toEqual(['FANIN_TASK_WITHOUT_TTL']);
    expect(only(r, 'FANIN_TASK_WITHOUT_TTL')).toMatchObject({ severity: 'warning', evidence: { keys: [key], counts: { withoutTtl: 1, taskKeys } } });
  });

  it('a dead-lettered task → FANIN_DEAD_LETTERS (warning) with its reason counted', async () => {
    for (const transport of ['streams', 'lists'] as const) {
      await srv.client.flushall();
      const { key } = await deadLetter(srv.url, `dl-${transport}`, transport);
      const r = await audit({ pendingAgeMs: 0, idleAgeMs: 0 });
      expect(r.faninKeyspaces[0]).toMatchObject({ prefix: `dl-${transport}`, transport, experiments: 1, running: 0 });
      expect(codes(r)).toEqual(['FANIN_DEAD_LETTERS']);
      expect(only(r, 'FANIN_DEAD_LETTERS')).toMatchObject({ severity: 'warning', evidence: { keys: [key], counts: { length: 1, 'reason: model refused': 1 } } });
    }
  });

  it('a processing list of a worker without heartbeat (lists) → FANIN_DEAD_WORKER_ITEMS (critical), and no stuck fan-in', async () => {
    const { procKey, workerId } = await deadWorkerItems(srv.client, srv.url, 'dw');
    const r = await audit();
    expect(r.faninKeyspaces).toEqual([{ prefix: 'dw', transport: 'lists', experiments: 1, running: 1 }]);
    // the task in the processing list is alive: the experiment is not stuck
    expect(codes(r)).toEqual(['FANIN_DEAD_WORKER_ITEMS']);
    expect(only(r, 'FANIN_DEAD_WORKER_ITEMS')).toMatchObject({ severity: 'critical', evidence: { keys: [procKey], consumers: [workerId], counts: { [procKey]: 1 } } });
    // a live heartbeat makes the same list fine
    await srv.client.set(`dw:{dw:0}:hb:${workerId}`, '1', 'PX', 10_000);
    expect((await audit()).findings).toEqual([]);
  });

  it('a key of the other transport\'s type → FANIN_WRONG_TYPE (critical)', async () => {
    const { key } = await wrongTypeKey(srv.client, srv.url, 'wt');
    const r = await audit({ pendingAgeMs: 0, idleAgeMs: 0 });
    const f = only(r, 'FANIN_WRONG_TYPE');
    expect(f.severity).toBe('critical');
    expect(f.evidence.keys).toEqual([key]);
    expect(f.evidence.detail).toEqual([`${key}: list, expected stream`]);
    expect(r.findings.filter((x) => x.severity === 'critical').map((x) => x.code)).toEqual(['FANIN_WRONG_TYPE']);
  });

  it('a running experiment past its stage deadline → FANIN_DEADLINE_PASSED (critical)', async () => {
    const { id, keys } = await pastDeadline(srv.url, 'late', 50);
    const r = await audit();
    expect(r.faninKeyspaces).toEqual([{ prefix: 'late', transport: 'streams', experiments: 1, running: 1 }]);
    const f = only(r, 'FANIN_DEADLINE_PASSED');
    expect(f.severity).toBe('critical');
    expect(f.evidence.experiments).toEqual([id]);
    expect(f.evidence.agesMs![id]).toBeGreaterThan(0);
    expect(f.evidence.detail).toEqual([`${id}: stage split, 1/1 tasks remaining`]);
    // nobody consumes the split queue either; the queued task keeps the experiment alive (not stuck)
    expect(codes(r)).toEqual(['FANIN_DEADLINE_PASSED', 'STREAM_LAG_NO_CONSUMER']);
    expect(only(r, 'STREAM_LAG_NO_CONSUMER').evidence.keys).toEqual([keys.queue(0, 'split')]);
  });

  it('more live entries than the sample cap → FANIN_LIVENESS_UNKNOWN (info), no stuck verdict', async () => {
    const o = new Orchestrator({ redisUrl: srv.url, transport: 'lists', prefix: 'big', pipeline: DEMO_PIPELINE, supervise: false });
    await o.start();
    try {
      for (let i = 0; i < 10; i++) await o.submit({ input: { n: 1 } });
    } finally {
      await o.close();
    }
    const r = await audit({ sampleCap: 10 });
    expect(codes(r)).toEqual(['FANIN_LIVENESS_UNKNOWN']);
    expect(only(r, 'FANIN_LIVENESS_UNKNOWN').severity).toBe('info');
    expect((await audit({ sampleCap: 11 })).findings).toEqual([]);
  });

  it('an acknowledged entry not yet deleted is no live task: an experiment whose only entry was acknowledged unrun is stuck', async () => {
    const o = new Orchestrator({ redisUrl: srv.url, transport: 'streams', prefix: 'ack', pipeline: DEMO_PIPELINE, supervise: false });
    await o.start();
    let running: string;
    let lost: string;
    try {
      running = await o.submit({ input: { n: 1 } });
      lost = await o.submit({ input: { n: 2 } });
    } finally {
      await o.close();
    }
    const q = o.keys.queue(0, 'split');
    // both entries claimed; the second acknowledged without its task running (ack-on-claim) and,
    // as between two deletion sweeps, still in the stream behind the first, which stays pending
    const claimed = (await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'w1', 'STREAMS', q, '>')) as [string, [string, string[]][]][];
    const [first, second] = claimed[0][1].map((e) => e[0]);
    await srv.client.xack(q, CONSUMER_GROUP, second);
    expect(await srv.client.xlen(q)).toBe(2);
    const r = await audit();
    expect(codes(r)).toContain('FANIN_STUCK_FAN_IN');
    expect(only(r, 'FANIN_STUCK_FAN_IN').evidence.experiments).toEqual([lost!]);
    expect(first).toBeTruthy();
    expect(running!).toBeTruthy();
  });

  it('pending ids whose entries someone deleted do not hide the live entries after them', async () => {
    const o = new Orchestrator({ redisUrl: srv.url, transport: 'streams', prefix: 'gh', pipeline: DEMO_PIPELINE, supervise: false });
    await o.start();
    const ids: string[] = [];
    try {
      for (let i = 0; i < 3; i++) ids.push(await o.submit({ input: { n: i } }));
    } finally {
      await o.close();
    }
    const q = o.keys.queue(0, 'split');
    const claimed = (await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'w1', 'STREAMS', q, '>')) as [string, [string, string[]][]][];
    const entries = claimed[0][1].map((e) => e[0]);
    // the second entry deleted while pending (a ghost between two live pending entries)
    await srv.client.xdel(q, entries[1]);
    const r = await audit();
    // the third experiment's task is pending, so alive: it is not stuck
    const stuck = r.findings.find((f) => f.code === 'FANIN_STUCK_FAN_IN')?.evidence.experiments ?? [];
    expect(stuck).not.toContain(ids[2]);
    expect(stuck).not.toContain(ids[0]);
  });

  it('a second consumer group on a fanin queue stream does not break the liveness sampling', async () => {
    const o = new Orchestrator({ redisUrl: srv.url, transport: 'streams', prefix: 'tg', pipeline: DEMO_PIPELINE, supervise: false });
    await o.start();
    let id: string;
    try {
      id = await o.submit({ input: { n: 1 } });
    } finally {
      await o.close();
    }
    const q = o.keys.queue(0, 'split');
    // a monitoring group (sorted before fanin-workers) that read the first entry, then more entries
    // arrive; the workers' group has one entry pending
    await srv.client.xgroup('CREATE', q, 'a-monitor', '$');
    await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'w1', 'COUNT', 1, 'STREAMS', q, '>');
    await srv.client.xadd(q, '*', 'noise', '1');
    const r = await audit();
    expect(r.faninKeyspaces).toEqual([{ prefix: 'tg', transport: 'streams', experiments: 1, running: 1 }]);
    expect(codes(r)).not.toContain('FANIN_STUCK_FAN_IN');
    expect(id!).toBeTruthy();
  });
});

describe('audits of kept diagnose runs', () => {
  it('the no-fan-in variant → FANIN_STUCK_FAN_IN (critical) naming every stuck experiment', async () => {
    const run = await stuckFanIn(2);
    try {
      const ids = run.results.runs.map((x) => x.experimentId).sort();
      expect(run.results.runs.map((x) => x.status)).toEqual(['timed-out', 'timed-out']);
      const r = await runAudit({ redis: run.redis.url, pendingAgeMs: 0, idleAgeMs: 0 });
      expect(r.faninKeyspaces).toEqual([{ prefix: run.results.config.prefix, transport: 'streams', experiments: 2, running: 2 }]);
      expect(codes(r)).toEqual(['FANIN_STUCK_FAN_IN']);
      const f = only(r, 'FANIN_STUCK_FAN_IN');
      expect(f.severity).toBe('critical');
      expect([...f.evidence.experiments!].sort()).toEqual(ids);
      expect(f.evidence.counts).toEqual({ stuck: 2, running: 2 });
      for (const d of f.evidence.detail!) expect(d).toMatch(/stage analyse_batch \(1\)/);
      // generic mode does not judge experiments
      const g = await runAudit({ redis: run.redis.url, mode: 'generic', pendingAgeMs: 0, idleAgeMs: 0 });
      expect(g.findings).toEqual([]);
      expect(g.faninKeyspaces).toEqual([]);
    } finally {
      await run.redis.stop();
    }
  });

  it('a clean run has zero findings of any severity, and its health checker agrees', async () => {
    const run = await cleanRun(3);
    try {
      expect(run.results.verdict.passed).toBe(true);
      const health = run.results.checkers.find((c) => c.name === 'health');
      expect(health?.valid).toBe(true);
      for (const thresholds of [{}, { pendingAgeMs: 0, idleAgeMs: 0 }]) {
        const r = await runAudit({ redis: run.redis.url, ...thresholds });
        expect(r.findings).toEqual([]);
        expect(r.counts).toEqual({ critical: 0, warning: 0, info: 0 });
        expect(r.faninKeyspaces).toEqual([{ prefix: run.results.config.prefix, transport: 'streams', experiments: 3, running: 0 }]);
        expect(r.keysScanned).toBeGreaterThan(10);
      }
    } finally {
      await run.redis.stop();
    }
  });

  it('a clean lists-transport run has zero findings too', async () => {
    const run = await cleanRun(2, 'lists');
    try {
      expect(run.results.checkers.find((c) => c.name === 'health')?.valid).toBe(true);
      const r = await runAudit({ redis: run.redis.url, pendingAgeMs: 0, idleAgeMs: 0 });
      expect(r.findings).toEqual([]);
      expect(r.faninKeyspaces).toEqual([{ prefix: run.results.config.prefix, transport: 'lists', experiments: 2, running: 0 }]);
    } finally {
      await run.redis.stop();
    }
  });
});

describe('options', () => {
  it('mode generic skips the fanin rules; mode fanin skips the generic stream rules', async () => {
    await deadWorkerItems(srv.client, srv.url, 'gm');
    await lagWithoutConsumer(srv.client, 'backlog', 2);
    expect(codes(await audit())).toEqual(['FANIN_DEAD_WORKER_ITEMS', 'STREAM_LAG_NO_CONSUMER']);
    const g = await audit({ mode: 'generic' });
    expect(codes(g)).toEqual(['STREAM_LAG_NO_CONSUMER']);
    expect(g.faninKeyspaces).toEqual([]);
    const f = await audit({ mode: 'fanin' });
    expect(codes(f)).toEqual(['FANIN_DEAD_WORKER_ITEMS']);
  });

  it('prefix limits the scan to its keys', async () => {
    await lagWithoutConsumer(srv.client, 'a:jobs', 2);
    await lagWithoutConsumer(srv.client, 'b:jobs', 2);
    await srv.client.set('a:other', '1');
    const all = await audit();
    expect(all.keysScanned).toBe(3);
    expect(all.findings.flatMap((f) => f.evidence.keys).sort()).toEqual(['a:jobs', 'b:jobs']);
    const a = await audit({ prefix: 'a:' });
    expect(a.prefix).toBe('a:');
    expect(a.keysScanned).toBe(2);
    expect(a.findings.map((f) => [f.code, f.evidence.keys])).toEqual([['STREAM_LAG_NO_CONSUMER', ['a:jobs']]]);
    // glob characters in the prefix are literal
    await srv.client.set('a*x', '1');
    expect((await audit({ prefix: 'a*' })).keysScanned).toBe(1);
  });

  it('a prefix naming a fanin namespace (with or without its trailing colon) keeps the fanin rules', async () => {
    const { procKey } = await deadWorkerItems(srv.client, srv.url, 'ns');
    await deadWorkerItems(srv.client, srv.url, 'other');
    for (const prefix of ['ns', 'ns:']) {
      const r = await audit({ prefix });
      expect(r.faninKeyspaces.map((k) => k.prefix)).toEqual(['ns']);
      expect(r.findings.map((f) => [f.code, f.evidence.keys])).toEqual([['FANIN_DEAD_WORKER_ITEMS', [procKey]]]);
    }
  });

  it('maxKeys truncation → SCAN_TRUNCATED (warning)', async () => {
    for (let i = 0; i < 5; i++) await srv.client.set(`k${i}`, '1');
    const r = await audit({ maxKeys: 2 });
    expect(r.truncated).toBe(true);
    expect(r.keysScanned).toBe(2);
    expect(codes(r)).toEqual(['SCAN_TRUNCATED']);
    expect(only(r, 'SCAN_TRUNCATED')).toMatchObject({ severity: 'warning', evidence: { counts: { maxKeys: 2 } } });
    const exact = await audit({ maxKeys: 5 });
    expect(exact.truncated).toBe(false);
    expect(exact.findings).toEqual([]);
  });

  it('bad options are a ConfigError before connecting', async () => {
    await expect(runAudit({ redis: srv.url, mode: 'nope' as 'auto' })).rejects.toThrow(/invalid audit options: mode/);
    await expect(runAudit({ redis: srv.url, maxKeys: 0 })).rejects.toThrow(/maxKeys/);
  });
});
