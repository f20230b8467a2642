/**
 * "One of each problem": on a server this file started, a Redis holding every problem the audit
 * looks for (fanin keyspaces from real diagnose runs, generic stream/list/TTL/errorstats problems,
 * BullMQ states made with real BullMQ) is audited as an ACL user that may only read: every problem
 * is flagged with its evidence, and INFO commandstats (read as the default user) shows that no
 * command flagged `write` ran. A healthy copy (clean runs, healthy generic keys, a healthy BullMQ
 * queue) gives no finding, read-only too. Plus the connection failures: not authorised,
 * unreachable, and the CLI's exit code 3 for both.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../../harness/audit/audit-types.js';
import { runAudit } from '../../../harness/audit/run-audit.js';
import { diagnose } from '../../../harness/runner/diagnose.js';
import { RedisUnavailableError } from '../../../src/errors.js';
import type { StartedRedis } from '../../../harness/redis/provider.js';
import { healthyBullmq, overdueDelayed, parentWithFailedChild, parentWithMissingChild, schedulerWithoutNext, stalledActiveJob, waitingWithoutWorker } from './bullmq-fixtures.js';
import { deadWorkerItems, evictionPolicy, ghostPending, lagWithoutConsumer, mixedQueue, sleep, taskWithoutTtl, unackedConsumer } from './fixture-builder.js';

/**
 * The auditor's ACL: every key and channel, no command but the read category, connection
 * commands (PING, HELLO, AUTH...), INFO (the Redis version, INFO memory's eviction policy, INFO
 * errorstats), XINFO and XPENDING. No CONFIG: the policy must come from INFO memory.
 */
export const AUDITOR_ACL = ['on', '>pw', '~*', '&*', '-@all', '+@read', '+@connection', '+info', '+xinfo', '+xpending'];

const ROOT = join(import.meta.dirname, '../../..');
const reportDir = mkdtempSync(join(tmpdir(), 'fanin-audit-ro-'));
const THRESHOLDS = { pendingAgeMs: 100, idleAgeMs: 100 };

let server: StartedRedis;
let healthy: StartedRedis;
let admin: Redis;
let port: number;
let stuckPrefix: string;
let cleanPrefix: string;
let stopHealthyWorker: () => Promise<void>;

function fanin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/fanin.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

interface CmdStat {
  calls: number;
  rejected: number;
  failed: number;
}

async function commandStats(conn: Redis): Promise<Map<string, CmdStat>> {
  const out = new Map<string, CmdStat>();
  for (const line of (await conn.info('commandstats')).split(/\r?\n/)) {
    const m = /^cmdstat_([^:]+):(.*)$/.exec(line);
    if (!m) continue;
    const f = Object.fromEntries(m[2].split(',').map((kv) => kv.split('=')));
    out.set(m[1], { calls: Number(f.calls ?? 0), rejected: Number(f.rejected_calls ?? 0), failed: Number(f.failed_calls ?? 0) });
  }
  return out;
}

/** The flags of a command (or `container|sub` subcommand) per COMMAND INFO. */
async function flagsOf(conn: Redis, name: string): Promise<string[]> {
  const [info] = (await conn.call('COMMAND', 'INFO', name)) as ([string, number, string[]] | null)[];
  if (!info) throw new Error(`COMMAND INFO knows no ${name}`);
  return info[2].map(String);
}

/** Runs `fn` (an audit) and says which commands ran or were rejected meanwhile, and which of them write. */
async function commandsDuring<T>(conn: Redis, fn: () => Promise<T>): Promise<{ result: T; increased: string[]; rejected: string[]; writes: string[] }> {
  // deltas, no CONFIG RESETSTAT: that would also reset the errorstats the audit reads
  const before = await commandStats(conn);
  const result = await fn();
  const after = await commandStats(conn);
  const increased = [...after].filter(([name, s]) => s.calls > (before.get(name)?.calls ?? 0)).map(([name]) => name).sort();
  const rejected = [...after].filter(([name, s]) => s.rejected > (before.get(name)?.rejected ?? 0)).map(([name]) => name).sort();
  const writes: string[] = [];
  for (const name of new Set([...increased, ...rejected])) if ((await flagsOf(conn, name)).includes('write')) writes.push(name);
  return { result, increased, rejected, writes };
}

/** Generic problems: a stream consumer that never acknowledges, trimmed pending entries, lag without consumer, the seeds' mixed queue (with the WRONGTYPE it causes), a TTL family leak, a dead worker's processing list. */
async function genericProblems(c: Redis): Promise<void> {
  await unackedConsumer(c, 'orders', { count: 3 });
  await ghostPending(c, 'trimmed', 'trim', 2);
  await lagWithoutConsumer(c, 'backlog', 3);
  const { stream } = await mixedQueue(c);
  await c.lpush(stream, 'x').catch(() => undefined); // the list-side producer on the stream: WRONGTYPE
  for (let i = 1; i <= 4; i++) await c.set(`task:${i}:data`, 'x', 'EX', 3600);
  await c.set('task:5:data', 'x');
  await c.rpush('app:processing:w-dead', 'job-1');
  await c.rpush('app:processing:w-live', 'job-2');
  await c.set('app:heartbeat:w-live', '1', 'EX', 3600);
}

/** Healthy generic keys: a family that always expires, a group whose entries are all acknowledged, a processing list whose owner has a heartbeat. */
async function genericHealthy(c: Redis): Promise<void> {
  for (let i = 1; i <= 4; i++) await c.set(`task:${i}:data`, 'x', 'EX', 3600);
  await c.xgroup('CREATE', 'orders', 'workers', '$', 'MKSTREAM');
  await c.xadd('orders', '*', 'job', '1');
  const [[, [[id]]]] = (await c.xreadgroup('GROUP', 'workers', 'w1', 'STREAMS', 'orders', '>')) as [string, [string, string[]][]][];
  await c.xack('orders', 'workers', id);
  await c.rpush('app:processing:w-live', 'job-2');
  await c.set('app:heartbeat:w-live', '1', 'EX', 3600);
}

beforeAll(async () => {
  // a clean run and a stuck one, kept, on one server started here (the embedded provider)
  const clean = await diagnose({ runs: 2, keepRedis: true });
  server = clean.redis!;
  cleanPrefix = clean.results.config.prefix;
  const stuck = await diagnose({ runs: 2, variant: 'no-fan-in', runTimeoutMs: 400, keepRedis: true, redis: server.url, provider: 'url' });
  stuckPrefix = stuck.results.config.prefix;
  port = Number(new URL(server.url).port);
  admin = new Redis(server.url);
  await genericProblems(admin);
  await taskWithoutTtl(admin, server.url, 'ttl');
  await deadWorkerItems(admin, server.url, 'dw');
  await parentWithFailedChild(server.url);
  await parentWithMissingChild(server.url);
  await stalledActiveJob(server.url);
  await waitingWithoutWorker(server.url);
  await overdueDelayed(server.url);
  await schedulerWithoutNext(server.url);
  await evictionPolicy(admin, 'allkeys-lru');
  await admin.call('ACL', 'SETUSER', 'auditor', ...AUDITOR_ACL);
  // the healthy copy: clean runs, healthy generic keys, a healthy BullMQ queue whose worker keeps running
  healthy = (await diagnose({ runs: 2, keepRedis: true })).redis!;
  const h = new Redis(healthy.url);
  await genericHealthy(h);
  await h.call('ACL', 'SETUSER', 'auditor', ...AUDITOR_ACL);
  h.disconnect();
  const hb = await healthyBullmq(healthy.url);
  stopHealthyWorker = async () => {
    await hb.worker.close();
    await hb.queue.close();
  };
  await sleep(250);
}, 120_000);

afterAll(async () => {
  await stopHealthyWorker?.();
  admin?.disconnect();
  await server?.stop();
  await healthy?.stop();
});

/** What the audit may run: its reads and the connection handshake (plus this test's own INFO). */
const ALLOWED = new Set([
  'auth', 'info', 'ping', 'scan', 'type', 'pttl', 'exists', 'xinfo|stream', 'xinfo|groups', 'xinfo|consumers', 'xpending', 'xrange', 'xrevrange', 'xlen',
  'lrange', 'llen', 'lindex', 'zrange', 'zrangebyscore', 'zcard', 'zcount', 'zscore', 'hgetall', 'hkeys', 'hget', 'hmget', 'smembers',
]);

async function expectReadOnly(conn: Redis, d: { increased: string[]; writes: string[] }): Promise<void> {
  expect(d.writes).toEqual([]);
  expect(d.increased.filter((c) => !ALLOWED.has(c))).toEqual([]);
  for (const c of d.increased) {
    const flags = await flagsOf(conn, c);
    expect(flags.includes('readonly') || ['auth', 'info', 'ping'].includes(c), `${c}: ${flags.join(' ')}`).toBe(true);
  }
}

describe('one of each problem, audited read-only (ACL and commandstats)', () => {
  it('every problem flagged with evidence by an auditor limited to reads; no write command ran', async () => {
    await admin.call('ACL', 'LOG', 'RESET');
    const d = await commandsDuring(admin, () => runAudit({ redis: `redis://auditor:pw@127.0.0.1:${port}`, ...THRESHOLDS }));
    const r: AuditReport = d.result;
    await expectReadOnly(admin, d);
    for (const c of ['scan', 'pttl', 'xinfo|stream', 'xinfo|groups', 'xinfo|consumers', 'xpending', 'hkeys', 'lrange', 'llen', 'exists', 'smembers', 'hmget']) expect(d.increased).toContain(c);
    // CONFIG GET was refused by the ACL: rejected, never run, the only denial (ACL LOG)
    expect(d.rejected).toContain('config|get');
    const log = (await admin.call('ACL', 'LOG')) as unknown[][];
    const denied = log.map((e) => Object.fromEntries(e.flatMap((v, i, a) => (i % 2 ? [] : [[String(v), a[i + 1]]])))).filter((e) => e.username === 'auditor');
    expect([...new Set(denied.map((e) => String(e.object)))]).toEqual(['config|get']);
    console.info(`commandstats delta (auditor): calls ${d.increased.join(', ')}; rejected ${d.rejected.join(', ')}`);

    expect([...new Set(r.findings.map((f) => f.code))].sort()).toEqual([
      'BULLMQ_DELAYED_OVERDUE', 'BULLMQ_NO_WORKER', 'BULLMQ_PARENT_STUCK', 'BULLMQ_SCHEDULER_NO_NEXT', 'BULLMQ_STALLED_ACTIVE',
      'EVICTION_POLICY', 'FANIN_DEAD_WORKER_ITEMS', 'FANIN_STUCK_FAN_IN', 'FANIN_TASK_WITHOUT_TTL', 'KEY_FAMILY_WITHOUT_TTL', 'LIST_PROCESSING_NO_HEARTBEAT',
      'MIXED_COORDINATION', 'SERVER_ERROR_STATS', 'STREAM_DEAD_CONSUMER', 'STREAM_GHOST_PENDING', 'STREAM_LAG_NO_CONSUMER', 'STREAM_PENDING_OLD',
    ]);
    // the eviction policy came from INFO memory (CONFIG GET refused)
    expect(r.findings.find((f) => f.code === 'EVICTION_POLICY')?.evidence.detail).toEqual(['maxmemory-policy allkeys-lru (from INFO memory; CONFIG GET refused)']);
    expect(r.findings.find((f) => f.code === 'KEY_FAMILY_WITHOUT_TTL')?.evidence.keys).toEqual(['task:5:data']);
    expect(r.findings.find((f) => f.code === 'MIXED_COORDINATION')?.evidence.keys).toEqual(['alpha:orchestrator.tasks', 'beta:orchestrator.tasks']);
    expect(r.findings.find((f) => f.code === 'LIST_PROCESSING_NO_HEARTBEAT')?.evidence.keys).toEqual(['app:processing:w-dead']);
    expect(r.errorStats?.WRONGTYPE).toBeGreaterThanOrEqual(1);
    expect(r.findings.filter((f) => f.code === 'BULLMQ_PARENT_STUCK').map((f) => f.evidence.keys![0].split(':')[1]).sort()).toEqual(['digests', 'reports']);
    for (const f of r.findings) expect(f.evidence.keys?.length || f.evidence.detail?.length || Object.keys(f.evidence.counts ?? {}).length, f.code).toBeTruthy();
    expect(r.faninKeyspaces.map((k) => k.prefix).sort()).toEqual([cleanPrefix, stuckPrefix, 'dw', 'ttl'].sort());
    expect(r.findings.find((f) => f.code === 'FANIN_STUCK_FAN_IN')!.title).toContain(stuckPrefix);

    // everything else is seen as by the default user (who can also read the configuration)
    const full = await runAudit({ redis: server.url, ...THRESHOLDS });
    const strip = (fs: typeof r.findings) => fs.filter((f) => !['EVICTION_POLICY', 'SERVER_ERROR_STATS'].includes(f.code)).map((f) => ({ code: f.code, keys: f.evidence.keys, experiments: f.evidence.experiments }));
    expect(strip(r.findings)).toEqual(strip(full.findings));
    expect(full.findings.find((f) => f.code === 'EVICTION_POLICY')?.evidence.detail).toEqual(['maxmemory-policy allkeys-lru']);
  });

  it('the healthy copy: no finding of any severity, read-only too', async () => {
    const conn = new Redis(healthy.url);
    try {
      const d = await commandsDuring(conn, () => runAudit({ redis: `redis://auditor:pw@127.0.0.1:${new URL(healthy.url).port}`, ...THRESHOLDS }));
      await expectReadOnly(conn, d);
      expect(d.result.findings).toEqual([]);
      expect(d.result.keysScanned).toBeGreaterThan(50);
    } finally {
      conn.disconnect();
    }
  });

  it('the CLI audits as the auditor too: exit 1 on the critical findings', async () => {
    const r = await fanin(['audit', '--redis', `redis://auditor:pw@127.0.0.1:${port}`, '--json', '--report-dir', reportDir, '--pending-age', '100ms', '--idle-age', '100ms']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { target: string; findings: { code: string }[] };
    expect(report.target).toBe(`redis://auditor:***@127.0.0.1:${port}`);
    expect(r.stdout).not.toContain(':pw@');
    expect(report.findings.map((f) => f.code)).toContain('BULLMQ_PARENT_STUCK');
  });
});

describe('a minimal auditor', () => {
  it('needs no more than reads and PING: without INFO the version is unknown, the audit complete', async () => {
    await admin.call('ACL', 'SETUSER', 'minimal', 'on', '>pw', '~*', '-@all', '+@read', '+ping');
    const r = await runAudit({ redis: `redis://minimal:pw@127.0.0.1:${port}`, pendingAgeMs: 100, idleAgeMs: 100 });
    expect(r.redisVersion).toBe('unknown');
    expect(r.errorStats).toBeNull();
    const full = await runAudit({ redis: `redis://auditor:pw@127.0.0.1:${port}`, pendingAgeMs: 100, idleAgeMs: 100 });
    // without INFO: the policy and the error counts are unknown (CONFIG_UNREADABLE), everything else the same
    const server = ['CONFIG_UNREADABLE', 'EVICTION_POLICY', 'SERVER_ERROR_STATS'];
    expect(r.findings.filter((f) => server.includes(f.code)).map((f) => f.code)).toEqual(['CONFIG_UNREADABLE']);
    const rest = (fs: typeof r.findings) => fs.filter((f) => !server.includes(f.code)).map((f) => [f.code, f.evidence.keys]);
    expect(rest(r.findings)).toEqual(rest(full.findings));
  });
});

describe('connection failures', () => {
  it('a wrong password → RedisUnavailableError "not authorised", password redacted', async () => {
    const err = await runAudit({ redis: `redis://auditor:wrong@127.0.0.1:${port}` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toMatch(/^not authorised on redis:\/\/auditor:\*\*\*@127\.0\.0\.1:\d+/);
    expect((err as Error).message).toMatch(/WRONGPASS/);
    expect((err as Error).message).not.toContain('wrong@');
  });

  it('a user that does not exist or is disabled → "not authorised"', async () => {
    await admin.call('ACL', 'SETUSER', 'disabled', 'off', '>pw', '~*', '+@all');
    for (const url of [`redis://nobody:pw@127.0.0.1:${port}`, `redis://disabled:pw@127.0.0.1:${port}`]) {
      const err = await runAudit({ redis: url }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RedisUnavailableError);
      expect((err as Error).message).toMatch(/^not authorised/);
    }
  });

  it('an unreachable server → RedisUnavailableError "cannot reach"', async () => {
    const err = await runAudit({ redis: 'redis://127.0.0.1:1', connectTimeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toMatch(/^cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  });

  it('the CLI exits 3 for both', async () => {
    const [auth, down] = await Promise.all([
      fanin(['audit', '--redis', `redis://auditor:hunter2@127.0.0.1:${port}`, '--report-dir', reportDir]),
      fanin(['audit', '--redis', 'redis://u:hunter2@127.0.0.1:1', '--report-dir', reportDir]),
    ]);
    expect(auth.code).toBe(3);
    expect(auth.stderr).toContain('not authorised on redis://auditor:***@127.0.0.1:');
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('cannot reach Redis at redis://u:***@127.0.0.1:1');
    for (const r of [auth, down]) {
      expect(r.stderr + r.stdout).not.toContain('hunter2');
      expect(r.stdout).toBe('');
    }
  });
});

describe('a password-protected default user (runs last: it changes the server)', () => {
  it('a password-only URL authenticates; no password → "not authorised"', async () => {
    await admin.config('SET', 'requirepass', 's3cret');
    try {
      const ok = await runAudit({ redis: `redis://:s3cret@127.0.0.1:${port}`, pendingAgeMs: 100, idleAgeMs: 100 });
      expect(ok.findings.map((f) => f.code)).toContain('EVICTION_POLICY');
      const err = await runAudit({ redis: `redis://127.0.0.1:${port}` }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RedisUnavailableError);
      expect((err as Error).message).toMatch(/^not authorised on redis:\/\/127\.0\.0\.1:\d+: NOAUTH/);
    } finally {
      await admin.config('SET', 'requirepass', '');
    }
  });
});
