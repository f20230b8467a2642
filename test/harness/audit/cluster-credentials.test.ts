/**
 * Red-team review of issue 14 on a real local Redis Cluster (3 masters) whose every node has an
 * ACL user `fanin` with a password and the default user off:
 * - repeated `--redis` seeds with the password (docs/cli.md: "the password is redacted in every
 *   output") leave no password in the console or any audit or diagnose report file;
 * - a database index other than 0 on a cluster node's URL is INVALID_CONFIG, exit 2
 *   (docs/cluster.md), for the audit too;
 * - the core honours a `?password=` URL on a cluster as it does on a single server;
 * - a wrong password on a cluster, or a seed list nobody answers, is a typed connection error with
 *   its reason (auth, refused; docs/security.md), and no output of a failed connect holds a password.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { Orchestrator, RedisUnavailableError } from '../../../src/index.js';
import { fanin } from '../cli-helpers.js';
import { useCluster } from '../../support/cluster.js';
import { filesUnder } from '../../support/processes.js';

const PASSWORD = 'Cl4sterSecretPw';
const c = useCluster();
const SPEC = { name: 'one', stages: [{ name: 's', width: 1, timeoutMs: 10_000 }] };

beforeAll(async () => {
  for (const port of c.masters) {
    const admin = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
    await admin.connect();
    await admin.call('ACL', 'SETUSER', 'fanin', 'on', `>${PASSWORD}`, '~*', '&*', '+@all');
    await admin.call('ACL', 'SETUSER', 'default', 'off');
    admin.disconnect();
  }
}, 30_000);


const nodeUrl = (port: number, auth = `fanin:${PASSWORD}@`) => `redis://${auth}127.0.0.1:${port}`;

describe('credentials on a Redis Cluster', () => {
  it('fanin audit with repeated --redis seeds: no password in the console or any report file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanin-review-seeds-'));
    const r = await fanin(['audit', '--redis', nodeUrl(c.masters[0]), '--redis', nodeUrl(c.masters[1]), '--report-dir', dir, '--format', 'console,json,md,html,junit,prom']);
    expect(r.code, r.stderr).toBe(0);
    const leaks = [`console:${r.stdout}${r.stderr}`, ...filesUnder(dir).map((f) => `${f}:${readFileSync(f, 'utf8')}`)]
      .filter((t) => t.includes(PASSWORD))
      .map((t) => t.slice(0, t.indexOf(':')));
    expect(leaks).toEqual([]);
  }, 60_000);

  it('fanin diagnose with repeated --redis seeds: no password in the console or any report file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanin-review-diag-seeds-'));
    const r = await fanin(['diagnose', '--runs', '1', '--quiet', '--report-dir', dir, '--redis', nodeUrl(c.masters[0]), '--redis', nodeUrl(c.masters[1])]);
    expect(r.code, r.stderr).toBe(0);
    const leaks = [`console:${r.stdout}${r.stderr}`, ...filesUnder(dir).map((f) => `${f.slice(dir.length + 1)}:${readFileSync(f, 'utf8')}`)]
      .filter((t) => t.includes(PASSWORD))
      .map((t) => t.slice(0, t.indexOf(':')));
    expect(leaks).toEqual([]);
  }, 120_000);

  it('fanin audit of a cluster node URL with database 5: INVALID_CONFIG, exit 2', async () => {
    const r = await fanin(['audit', '--format', 'json', '--report-dir', mkdtempSync(join(tmpdir(), 'fanin-review-db-'))], { FANIN_REDIS_URL: `${nodeUrl(c.masters[0])}/5` });
    expect(r.stderr).toContain('INVALID_CONFIG');
    expect(r.code).toBe(2);
  }, 60_000);

  it('the core on a cluster node URL with ?username=&password=: the orchestrator starts', async () => {
    const o = new Orchestrator({ redisUrl: `${nodeUrl(c.masters[0], '')}/?username=fanin&password=${PASSWORD}`, prefix: 'rv-qp', shards: 3, pipeline: SPEC });
    try {
      await expect(o.start()).resolves.toBeUndefined();
    } finally {
      await o.close();
    }
  }, 60_000);

  it('the core on a cluster node URL with a wrong password: RedisUnavailableError, reason auth', async () => {
    const o = new Orchestrator({ redisUrl: nodeUrl(c.masters[0], 'fanin:wrong-password@'), prefix: 'rv-wp', shards: 3, pipeline: SPEC });
    try {
      const err = await o.start().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(RedisUnavailableError);
      expect((err as RedisUnavailableError).reason).toBe('auth');
    } finally {
      await o.close();
    }
  }, 60_000);

  it('a seed list with a wrong password: RedisUnavailableError, reason auth (not unknown)', async () => {
    const o = new Orchestrator({ redisUrl: `${nodeUrl(c.masters[0], 'fanin:wrong-password@')},127.0.0.1:${c.masters[1]}`, prefix: 'rv-sw', shards: 3, pipeline: SPEC });
    try {
      const err = await o.start().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(RedisUnavailableError);
      expect((err as RedisUnavailableError).reason, (err as Error).message).toBe('auth');
    } finally {
      await o.close();
    }
  }, 60_000);

  it('a seed list where nothing listens: RedisUnavailableError, reason refused (not unknown)', async () => {
    const o = new Orchestrator({ redisUrl: 'redis://127.0.0.1:1,127.0.0.1:2', prefix: 'rv-sr', shards: 3, pipeline: SPEC });
    try {
      const err = await o.start().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(RedisUnavailableError);
      expect((err as RedisUnavailableError).reason, (err as Error).message).toBe('refused');
    } finally {
      await o.close();
    }
  }, 60_000);

  it('fanin submit with repeated --redis and a wrong password: exit 3, the password in no output', async () => {
    const WRONG = 'Wr0ngSecretPw';
    const r = await fanin(['submit', '--redis', nodeUrl(c.masters[0], `fanin:${WRONG}@`), '--redis', nodeUrl(c.masters[1], `fanin:${WRONG}@`)]);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).not.toContain(WRONG);
  }, 60_000);
});
