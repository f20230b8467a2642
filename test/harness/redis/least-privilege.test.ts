/**
 * The ACL rules of docs/security.md, applied as written (ACL SETUSER on a redis-server started
 * here), suffice: the core (process workers + submit, both transports), diagnose on a shared
 * Redis with --prefix (process workers) and the audit all succeed, and the ACL log records no
 * denial for their users (no INFO ready check, no CLIENT SETINFO, no @dangerous command needed).
 */
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { aclDenials, aclOf } from '../../support/acl.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/child.js';
import { fanin } from '../cli-helpers.js';
import { startRedis, type TestRedis } from '../../support/redis.js';

let server: TestRedis;
let admin: Redis;
let port: string;

beforeAll(async () => {
  server = await startRedis();
  admin = new Redis(server.url);
  port = new URL(server.url).port;
  await admin.call('ACL', 'SETUSER', 'fanin-core', ...aclOf('fanin-core', 'acl-?'));
  await admin.call('ACL', 'SETUSER', 'fanin-diagnose', ...aclOf('fanin-diagnose', 'shared'));
  await admin.call('ACL', 'SETUSER', 'fanin-audit', ...aclOf('fanin-audit', 'acl-'));
}, 30_000);
afterAll(async () => {
  admin?.disconnect();
  await server?.stop();
});

const userUrl = (user: string) => `redis://${user}:pw@127.0.0.1:${port}`;

describe('least privilege: the documented ACL users', () => {
  it.each(['streams', 'lists'])('the core user (~PREFIX:*, the listed commands): process workers + submit complete (%s), no denial', async (transport) => {
    const env = { FANIN_REDIS_URL: userUrl('fanin-core') };
    const common = ['--prefix', `acl-${transport[0]}`, '--transport', transport];
    const stages = ['pre_test', 'analyse_batch', 'corpus_synthesis', 'review', 'moderation'];
    const workers = stages.map((stage) => runCli(['worker', '--stage', stage, ...common], env));
    try {
      await Promise.all(workers.map((w) => w.waitForLine(/^worker /, 60_000)));
      const s = runCli(['submit', ...common, '--wait', '60000'], env);
      expect(await s.exited, s.stderr.join('\n') + s.lines.join('\n')).toBe(0);
      expect(JSON.parse(s.lines[s.lines.length - 1]!)).toMatchObject({ status: 'completed' });
      const o = runCli(['orchestrator', ...common], env);
      await o.waitForLine(/^orchestrator /, 60_000);
      o.kill('SIGTERM');
      await o.exited;
      for (const w of workers) w.kill('SIGTERM');
      expect(await Promise.all(workers.map((w) => w.exited)), workers.map((w) => w.stderr.join(' ')).join('\n')).toEqual(stages.map(() => 0));
    } finally {
      for (const w of workers) w.kill('SIGKILL');
    }
    // no denial at all: a stop ends blocked reads by closing their connections (no CLIENT UNBLOCK)
    expect(await aclDenials(admin, 'fanin-core')).toEqual([]);
  }, 180_000);

  it('diagnose on a shared Redis with --prefix (~PREFIX-*), process workers: passes, no denial but INFO', async () => {
    const r = await fanin(['diagnose', '--prefix', 'shared', '--runs', '2', '--worker-mode', 'process', '--quiet', '--report-dir', mkdtempSync(join(tmpdir(), 'fanin-acl-'))], { FANIN_REDIS_URL: userUrl('fanin-diagnose') });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await aclDenials(admin, 'fanin-diagnose')).filter((d) => d !== 'command info')).toEqual([]);
    // only the run's own keys, and they are gone afterwards
    expect(await admin.keys('shared-*')).toEqual([]);
  }, 180_000);

  it('the read-only audit user: the audit passes, no denial', async () => {
    await admin.set('acl-s:probe', '1');
    const r = await fanin(['audit', '--prefix', 'acl-', '--format', 'console'], { FANIN_REDIS_URL: userUrl('fanin-audit') });
    expect(r.code, r.stdout + r.stderr).not.toBe(3);
    expect(r.code, r.stdout + r.stderr).not.toBe(2);
    expect((await aclDenials(admin, 'fanin-audit')).filter((d) => !['command info', 'command config|get'].includes(d))).toEqual([]);
  }, 60_000);
});
