/**
 * The audit is read-only, proved by Redis itself: on a server this file started, a realistic
 * keyspace (two kept diagnose runs, one clean and one stuck, plus generic problems) is audited
 * as an ACL user that may only read, and INFO commandstats (read as the default user) shows
 * that no command flagged `write` ran. Plus the connection failures: not authorised,
 * unreachable, and the CLI's exit code 3 for both.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../../harness/audit/run-audit.js';
import { diagnose } from '../../../harness/runner/diagnose.js';
import { RedisUnavailableError } from '../../../src/errors.js';
import type { StartedRedis } from '../../../harness/redis/provider.js';
import { deadWorkerItems, evictionPolicy, ghostPending, lagWithoutConsumer, mixedQueue, sleep, taskWithoutTtl, unackedConsumer } from './fixture-builder.js';

/**
 * The auditor's ACL: every key and channel, no command but the read category, connection
 * commands (PING, HELLO, AUTH...), INFO (ioredis' ready check and the Redis version), XINFO and
 * XPENDING. No CONFIG: the audit must report CONFIG_UNREADABLE, not fail.
 */
export const AUDITOR_ACL = ['on', '>pw', '~*', '&*', '-@all', '+@read', '+@connection', '+info', '+xinfo', '+xpending'];

const ROOT = join(import.meta.dirname, '../../..');
const reportDir = mkdtempSync(join(tmpdir(), 'fanin-audit-ro-'));

let server: StartedRedis;
let admin: Redis;
let port: number;
let stuckPrefix: string;
let cleanPrefix: string;

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

async function commandStats(): Promise<Map<string, CmdStat>> {
  const out = new Map<string, CmdStat>();
  for (const line of (await admin.info('commandstats')).split(/\r?\n/)) {
    const m = /^cmdstat_([^:]+):(.*)$/.exec(line);
    if (!m) continue;
    const f = Object.fromEntries(m[2].split(',').map((kv) => kv.split('=')));
    out.set(m[1], { calls: Number(f.calls ?? 0), rejected: Number(f.rejected_calls ?? 0), failed: Number(f.failed_calls ?? 0) });
  }
  return out;
}

/** The flags of a command (or `container|sub` subcommand) per COMMAND INFO. */
async function flagsOf(name: string): Promise<string[]> {
  const [info] = (await admin.call('COMMAND', 'INFO', name)) as ([string, number, string[]] | null)[];
  if (!info) throw new Error(`COMMAND INFO knows no ${name}`);
  return info[2].map(String);
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
  // generic problems and fanin hygiene problems beside them
  await unackedConsumer(admin, 'orders', { count: 3 });
  await ghostPending(admin, 'trimmed', 'trim', 2);
  await lagWithoutConsumer(admin, 'backlog', 3);
  await mixedQueue(admin);
  await taskWithoutTtl(admin, server.url, 'ttl');
  await deadWorkerItems(admin, server.url, 'dw');
  await evictionPolicy(admin, 'allkeys-lru');
  await sleep(120);
  await admin.call('ACL', 'SETUSER', 'auditor', ...AUDITOR_ACL);
});

afterAll(async () => {
  admin?.disconnect();
  await server?.stop();
});

describe('read-only, proved by ACL and commandstats', () => {
  it('an auditor limited to reads audits the whole keyspace; no write command ran', async () => {
    await admin.config('RESETSTAT');
    await admin.call('ACL', 'LOG', 'RESET');
    const before = await commandStats();
    const r = await runAudit({ redis: `redis://auditor:pw@127.0.0.1:${port}`, pendingAgeMs: 100, idleAgeMs: 100 });
    const after = await commandStats();

    const increased = [...after].filter(([name, s]) => s.calls > (before.get(name)?.calls ?? 0)).map(([name]) => name).sort();
    const rejected = [...after].filter(([name, s]) => s.rejected > (before.get(name)?.rejected ?? 0)).map(([name]) => name).sort();
    const writes: string[] = [];
    for (const name of new Set([...increased, ...rejected])) if ((await flagsOf(name)).includes('write')) writes.push(name);
    expect(writes).toEqual([]);
    // what ran, besides this test's own INFO: the audit's reads and the connection handshake
    const allowed = new Set(['auth', 'info', 'ping', 'scan', 'type', 'pttl', 'xinfo|stream', 'xinfo|groups', 'xinfo|consumers', 'xpending', 'xrange', 'xrevrange', 'xlen', 'lrange', 'llen', 'zrange', 'hgetall', 'hkeys', 'hget', 'zscore']);
    expect(increased.filter((c) => !allowed.has(c))).toEqual([]);
    for (const c of ['scan', 'type', 'xinfo|stream', 'xinfo|groups', 'xinfo|consumers', 'xpending', 'hgetall', 'hkeys', 'pttl', 'lrange', 'llen']) expect(increased).toContain(c);
    for (const c of increased) {
      const flags = await flagsOf(c);
      expect(flags.includes('readonly') || ['auth', 'info', 'ping'].includes(c), `${c}: ${flags.join(' ')}`).toBe(true);
    }
    // CONFIG GET was refused by the ACL: rejected, never run
    expect(rejected).toContain('config|get');
    expect(after.get('config|get')?.calls ?? 0).toBe(0);
    // the only denial the audit causes (in the ACL log) is CONFIG GET
    const log = (await admin.call('ACL', 'LOG')) as unknown[][];
    const denied = log.map((e) => Object.fromEntries(e.flatMap((v, i, a) => (i % 2 ? [] : [[String(v), a[i + 1]]])))).filter((e) => e.username === 'auditor');
    expect([...new Set(denied.map((e) => String(e.object)))]).toEqual(['config|get']);
    console.info(`commandstats delta (auditor): calls ${increased.join(', ')}; rejected ${rejected.join(', ')}`);

    // the configuration could not be read: a warning, not a failure, and no eviction verdict
    const cu = r.findings.find((f) => f.code === 'CONFIG_UNREADABLE');
    expect(cu?.severity).toBe('warning');
    expect(cu?.evidence.detail?.[0]).toMatch(/NOPERM/);
    expect(r.findings.map((f) => f.code)).not.toContain('EVICTION_POLICY');

    // everything else is seen as by the default user (who can also read the configuration)
    const full = await runAudit({ redis: server.url, pendingAgeMs: 100, idleAgeMs: 100 });
    const strip = (fs: typeof r.findings) => fs.filter((f) => !['CONFIG_UNREADABLE', 'EVICTION_POLICY'].includes(f.code)).map((f) => ({ code: f.code, keys: f.evidence.keys, experiments: f.evidence.experiments }));
    expect(strip(r.findings)).toEqual(strip(full.findings));
    expect(full.findings.map((f) => f.code)).toContain('EVICTION_POLICY');
    expect(new Set(r.findings.map((f) => f.code))).toEqual(new Set([
      'CONFIG_UNREADABLE', 'STREAM_PENDING_OLD', 'STREAM_DEAD_CONSUMER', 'STREAM_GHOST_PENDING', 'STREAM_LAG_NO_CONSUMER', 'MIXED_COORDINATION',
      'FANIN_STUCK_FAN_IN', 'FANIN_TASK_WITHOUT_TTL', 'FANIN_DEAD_WORKER_ITEMS',
    ]));
    expect(r.faninKeyspaces.map((k) => k.prefix).sort()).toEqual([cleanPrefix, stuckPrefix, 'dw', 'ttl'].sort());
    const stuck = r.findings.find((f) => f.code === 'FANIN_STUCK_FAN_IN')!;
    expect(stuck.title).toContain(stuckPrefix);
  });

  it('the CLI audits as the auditor too: exit 1 on the critical findings, CONFIG_UNREADABLE in the JSON', async () => {
    const r = await fanin(['audit', '--redis', `redis://auditor:pw@127.0.0.1:${port}`, '--json', '--report-dir', reportDir, '--pending-age', '100ms', '--idle-age', '100ms']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { target: string; findings: { code: string }[] };
    expect(report.target).toBe(`redis://auditor:***@127.0.0.1:${port}`);
    expect(r.stdout).not.toContain(':pw@');
    expect(report.findings.map((f) => f.code)).toContain('CONFIG_UNREADABLE');
  });
});

describe('a minimal auditor', () => {
  it('needs no more than reads and PING: without INFO the version is unknown, the audit complete', async () => {
    await admin.call('ACL', 'SETUSER', 'minimal', 'on', '>pw', '~*', '-@all', '+@read', '+ping');
    const r = await runAudit({ redis: `redis://minimal:pw@127.0.0.1:${port}`, pendingAgeMs: 100, idleAgeMs: 100 });
    expect(r.redisVersion).toBe('unknown');
    const full = await runAudit({ redis: `redis://auditor:pw@127.0.0.1:${port}`, pendingAgeMs: 100, idleAgeMs: 100 });
    expect(r.findings.map((f) => [f.code, f.evidence.keys])).toEqual(full.findings.map((f) => [f.code, f.evidence.keys]));
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
