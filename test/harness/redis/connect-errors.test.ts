/**
 * Every way connecting to Redis can fail has its own reason and a message naming the fix, the
 * same in connect() (typed: code, reason, cause), the core's worker/orchestrator/submit, diagnose
 * and the audit (exit 3). Real servers only: redis-server with a password, an ACL user denied
 * PING, a TLS redis-server, a TCP server sending garbage, an HTTP server, a silent server.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createClient, RedisUnavailableError } from '../../../src/index.js';
import { fanin } from '../cli-helpers.js';
import { garbageServer, httpServer, silentServer, type FakeServer } from '../../support/fake-servers.js';
import { startRedis, type TestRedis } from '../../support/redis.js';
import { makeCerts } from '../../support/tls-certs.js';
import { startTlsRedis, type TlsRedis } from '../../support/redis-tls.js';
import { freeLoopbackPort } from '../../../harness/redis/free-port.js';

let server: TestRedis;
let tlsServer: TlsRedis;
const fakes: FakeServer[] = [];
const urls: Record<string, string> = {};
const env: Record<string, string> = {};

beforeAll(async () => {
  server = await startRedis();
  const admin = new Redis(server.url);
  await admin.call('ACL', 'SETUSER', 'noping', 'on', '>pw', '~*', '+@all', '-ping');
  await admin.call('ACL', 'SETUSER', 'default', 'on', '>right', '~*', '+@all');
  admin.disconnect();
  const port = new URL(server.url).port;
  const certs = makeCerts();
  tlsServer = await startTlsRedis(certs, 'no');
  const [garbage, http, silent] = await Promise.all([garbageServer(), httpServer(), silentServer()]);
  fakes.push(garbage, http, silent);
  Object.assign(urls, {
    refused: `redis://127.0.0.1:${await freeLoopbackPort()}`,
    timeout: silent.url,
    wrongpass: `redis://:wrong@127.0.0.1:${port}`,
    noauth: `redis://127.0.0.1:${port}`,
    noperm: `redis://noping:pw@127.0.0.1:${port}`,
    tls: `rediss://127.0.0.1:${tlsServer.port}`,
    'not-redis-garbage': garbage.url,
    'not-redis-http': http.url,
    'no-db': `redis://:right@127.0.0.1:${port}/99`,
  });
  // no CA given: the TLS case fails verifying the server's certificate
  Object.assign(env, { FANIN_TLS_CA: '' });
}, 60_000);

afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  await tlsServer?.stop();
  await server?.stop();
});

const CASES: { name: string; reason: string; fix: RegExp }[] = [
  { name: 'refused', reason: 'refused', fix: /connection refused.*fix: start redis-server there, or correct the host and port/ },
  { name: 'timeout', reason: 'timeout', fix: /no answer within \d+ ms.*fix: check that host and port belong to a Redis/ },
  { name: 'wrongpass', reason: 'auth', fix: /WRONGPASS.*fix: correct the user name and password/ },
  { name: 'noauth', reason: 'auth', fix: /NOAUTH.*fix: put the user and password in the URL/ },
  { name: 'noperm', reason: 'acl', fix: /NOPERM.*'ping'.*fix: grant the user the command/ },
  { name: 'tls', reason: 'tls', fix: /self-signed certificate in certificate chain.*fix: pass the CA that signed the server's certificate with --tls-ca/ },
  { name: 'not-redis-garbage', reason: 'not-redis', fix: /does not speak the Redis protocol.*fix: point --redis at a Redis server/ },
  { name: 'not-redis-http', reason: 'not-redis', fix: /does not speak the Redis protocol.*fix: point --redis at a Redis server/ },
  { name: 'no-db', reason: 'no-db', fix: /has no database 99.*fix: use a database index below the server's `databases` setting/ },
];

describe('connect(): a typed error per failure', () => {
  it.each(CASES)('$name: REDIS_UNAVAILABLE, reason $reason, names the fix, keeps the cause', async ({ name, reason, fix }) => {
    const client = createClient({ url: urls[name]!, connectTimeoutMs: 1500, commandTimeoutMs: 1500 });
    const err = await connect(client, urls[name]!).then(() => null, (e: unknown) => e);
    client.disconnect();
    expect(err).toBeInstanceOf(RedisUnavailableError);
    const e = err as RedisUnavailableError;
    expect(e.code).toBe('REDIS_UNAVAILABLE');
    expect(e.reason).toBe(reason);
    expect(e.context.reason).toBe(reason);
    expect(e.message).toMatch(fix);
    expect(e.cause).toBeDefined();
    expect(e.message).not.toContain('Connection is closed');
  });
});

const COMMANDS: { name: string; args: (url: string) => string[] }[] = [
  { name: 'submit', args: (u) => ['submit', '--redis', u] },
  { name: 'worker', args: (u) => ['worker', '--stage', 'review', '--redis', u] },
  { name: 'orchestrator', args: (u) => ['orchestrator', '--redis', u] },
  { name: 'audit', args: (u) => ['audit', '--redis', u, '--format', 'console'] },
  { name: 'diagnose', args: (u) => ['diagnose', '--redis', u, '--runs', '1', '--quiet', '--report-dir', '/tmp'] },
];

describe.concurrent.each(COMMANDS)('fanin $name: exit 3 and the same classification', ({ args }) => {
  it.each(CASES.filter((c) => c.name !== 'not-redis-http'))('$name', async ({ name, reason, fix }) => {
    const r = await fanin(args(urls[name]!), env);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('REDIS_UNAVAILABLE');
    expect(r.stderr).toContain(`(reason: ${reason})`);
    expect(r.stderr.replace(/\s+/g, ' ')).toMatch(fix);
  }, 60_000);
});
