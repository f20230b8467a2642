/**
 * The generic rules of issue 15 end-to-end on a real redis-server: key families where some
 * members expire and others do not, the eviction policy read from INFO memory when CONFIG GET
 * is refused, INFO errorstats, mixed patterns judged per queue name, the oldest pending age per
 * group, and processing lists whose owners have no heartbeat.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { runAudit, type AuditOptions } from '../../../harness/audit/run-audit.js';
import { auditOf, codes, only } from './audit-helpers.js';
import { useRedis } from '../../support/redis.js';
import { sleep, unackedConsumer } from './fixture-builder.js';

const srv = useRedis();

beforeEach(async () => {
  await srv.client.flushall();
  await srv.client.config('SET', 'maxmemory-policy', 'noeviction');
  await srv.client.config('RESETSTAT');
});

const audit = (o: Partial<AuditOptions> = {}) => auditOf(srv.url)(o);

describe('KEY_FAMILY_WITHOUT_TTL', () => {
  it('task:N:data keys, five with a TTL and two without → a warning with counts and the two keys', async () => {
    for (let i = 1; i <= 5; i++) await srv.client.set(`task:${i}:data`, 'x', 'EX', 600);
    await srv.client.set('task:6:data', 'x');
    await srv.client.set('task:7:data', 'x');
    const r = await audit();
    expect(codes(r)).toEqual(['KEY_FAMILY_WITHOUT_TTL']);
    const f = only(r, 'KEY_FAMILY_WITHOUT_TTL');
    expect(f.severity).toBe('warning');
    expect(f.title).toContain('task:*:data');
    expect(f.evidence.counts).toEqual({ withoutTtl: 2, withTtl: 5 });
    expect([...f.evidence.keys!].sort()).toEqual(['task:6:data', 'task:7:data']);
  });

  it('a family where every key expires, or none does, is no finding', async () => {
    for (let i = 1; i <= 3; i++) await srv.client.set(`sess:${i}`, 'x', 'EX', 600);
    for (let i = 1; i <= 3; i++) await srv.client.set(`user:${i}:name`, 'x');
    expect((await audit()).findings).toEqual([]);
  });
});

describe('eviction policy from INFO memory', () => {
  it('CONFIG GET refused but INFO allowed → EVICTION_POLICY read from INFO memory, no CONFIG_UNREADABLE', async () => {
    await srv.client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await srv.client.call('ACL', 'SETUSER', 'infoonly', 'on', '>pw', '~*', '&*', '-@all', '+@read', '+@connection', '+info');
    const port = new URL(srv.url).port;
    const r = await runAudit({ redis: `redis://infoonly:pw@127.0.0.1:${port}` });
    expect(codes(r)).toEqual(['EVICTION_POLICY']);
    expect(only(r, 'EVICTION_POLICY').evidence.detail).toEqual(['maxmemory-policy allkeys-lru (from INFO memory; CONFIG GET refused)']);
    await srv.client.call('ACL', 'DELUSER', 'infoonly');
  });
});

describe('INFO errorstats', () => {
  it('WRONGTYPE and NOGROUP errors since the restart → SERVER_ERROR_STATS (warning), counts in report.errorStats', async () => {
    await srv.client.xadd('s', '*', 'a', '1');
    await srv.client.lpush('s', 'x').catch(() => undefined);
    await srv.client.lpush('s', 'x').catch(() => undefined);
    await srv.client.xreadgroup('GROUP', 'nobody', 'c', 'STREAMS', 's', '>').catch(() => undefined);
    const r = await audit();
    expect(r.errorStats).toMatchObject({ WRONGTYPE: 2, NOGROUP: 1 });
    const f = only(r, 'SERVER_ERROR_STATS');
    expect(f.severity).toBe('warning');
    expect(f.title).toMatch(/server-wide, since the last restart/);
    expect(f.evidence.counts).toEqual({ WRONGTYPE: 2, NOGROUP: 1 });
  });
});

describe('mixed patterns per queue name', () => {
  it('alpha:orchestrator.tasks a list, beta:orchestrator.tasks a stream → MIXED_COORDINATION (critical)', async () => {
    await srv.client.rpush('alpha:orchestrator.tasks', 'x');
    await srv.client.xadd('beta:orchestrator.tasks', '*', 'a', '1');
    const r = await audit();
    expect(codes(r)).toEqual(['MIXED_COORDINATION']);
    const f = only(r, 'MIXED_COORDINATION');
    expect(f.severity).toBe('critical');
    expect(f.title).toContain('orchestrator.tasks');
    expect(f.evidence.keys).toEqual(['alpha:orchestrator.tasks', 'beta:orchestrator.tasks']);
  });

  it('different queue names that share a word, two applications\' queues, BullMQ\'s own layout → no finding', async () => {
    await srv.client.rpush('orchestrator.tasks', 'x');
    await srv.client.xadd('tasks.done', '*', 'a', '1');
    await srv.client.rpush('shop:jobs:emails', 'x');
    await srv.client.xadd('crm:jobs:events', '*', 'a', '1');
    await srv.client.rpush('bull:mail:wait', '1');
    await srv.client.xadd('bull:mail:events', '*', 'event', 'added');
    await srv.client.hset('bull:mail:meta', 'opts.maxLenEvents', '10000');
    await srv.client.hset('bull:mail:1', 'name', 'n', 'data', '{}', 'opts', '{}', 'timestamp', String(Date.now()));
    const r = await audit();
    expect(r.findings.filter((f) => f.code === 'MIXED_COORDINATION')).toEqual([]);
  });
});

describe('oldest pending age per group', () => {
  it('a metric per group with the idle time of its oldest pending entry', async () => {
    await unackedConsumer(srv.client, 'orders', { count: 2 });
    await sleep(120);
    const r = await audit();
    const m = r.metrics.find((x) => x.name === 'fanin_stream_group_oldest_pending_idle_seconds' && x.labels.stream === 'orders');
    expect(m?.labels.group).toBe('workers');
    expect(m!.value).toBeGreaterThanOrEqual(0.1);
  });
});

describe('LIST_PROCESSING_NO_HEARTBEAT', () => {
  it('a processing list whose owner has no heartbeat (beside one that has) → critical, naming the list and owner', async () => {
    await srv.client.rpush('app:processing:w-dead', 'job-1', 'job-2');
    await srv.client.rpush('app:processing:w-live', 'job-3');
    await srv.client.set('app:heartbeat:w-live', '1', 'EX', 60);
    const r = await audit();
    expect(codes(r)).toEqual(['LIST_PROCESSING_NO_HEARTBEAT']);
    const f = only(r, 'LIST_PROCESSING_NO_HEARTBEAT');
    expect(f.severity).toBe('critical');
    expect(f.evidence.keys).toEqual(['app:processing:w-dead']);
    expect(f.evidence.consumers).toEqual(['w-dead']);
    expect(f.evidence.counts).toEqual({ 'app:processing:w-dead': 2 });
  });
});
