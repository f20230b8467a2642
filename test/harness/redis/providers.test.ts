import { connect as netConnect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysByPattern, escapeGlob, prefixPattern } from '../../../harness/redis/cleanup.js';
import { ContainerRedisProvider, containerEngineAvailable } from '../../../harness/redis/container.js';
import { EmbeddedRedisProvider } from '../../../harness/redis/embedded.js';
import { createProvider } from '../../../harness/redis/index.js';
import type { StartedRedis } from '../../../harness/redis/provider.js';
import { UrlRedisProvider } from '../../../harness/redis/url.js';
import { ConfigError, RedisUnavailableError } from '../../../src/errors.js';
import { Keyspace } from '../../../src/keys.js';

/** PING through a fresh client that gives up at the first refusal. */
async function ping(url: string): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

/** The error code of a plain TCP connect to the URL's port ('connected' when it is accepted). */
function tcpProbe(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const sock = netConnect({ host: hostname, port: Number(port) });
    sock.once('connect', () => {
      sock.destroy();
      resolve('connected');
    });
    sock.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

describe('embedded provider', () => {
  it('starts a real redis-server and stop() ends it', async () => {
    const provider = new EmbeddedRedisProvider();
    const started = await provider.start();
    expect(started.owned).toBe(true);
    expect(started.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(await ping(started.url)).toBe('PONG');
    await started.stop();
    expect(await tcpProbe(started.url)).toBe('ECONNREFUSED');
  });
});

describe('url provider', () => {
  let server: StartedRedis;
  beforeAll(async () => {
    server = await new EmbeddedRedisProvider().start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('uses an existing server without owning it; stop() leaves it running', async () => {
    const provider = new UrlRedisProvider(server.url);
    expect(provider.name).toBe('url');
    expect(provider.supportedFaults).toEqual([]);
    const started = await provider.start();
    expect(started).toMatchObject({ url: server.url, owned: false });
    await started.stop();
    expect(await ping(server.url)).toBe('PONG');
  });

  it('an unreachable server is RedisUnavailableError naming the redacted URL', async () => {
    const provider = new UrlRedisProvider('redis://user:secret@127.0.0.1:1');
    const err = await provider.start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toContain('redis://user:***@127.0.0.1:1');
    expect((err as Error).message).not.toContain('secret');
  });

  it('a URL that is not redis:// is ConfigError', () => {
    expect(() => new UrlRedisProvider('http://127.0.0.1:6379')).toThrow(ConfigError);
    expect(() => new UrlRedisProvider('not a url')).toThrow(ConfigError);
  });
});

describe('createProvider', () => {
  it('picks the provider', () => {
    expect(createProvider({}).name).toBe('embedded');
    expect(createProvider({ provider: 'container' }).name).toBe('container');
    expect(createProvider({ redis: 'redis://127.0.0.1:6380' }).name).toBe('url');
    expect(createProvider({ redis: 'redis://127.0.0.1:6380', provider: 'url' }).name).toBe('url');
  });

  it('rejects unknown or conflicting choices with ConfigError', () => {
    expect(() => createProvider({ provider: 'docker' as never })).toThrow(/known providers are embedded, container, url/);
    expect(() => createProvider({ provider: 'docker' as never })).toThrow(ConfigError);
    expect(() => createProvider({ provider: 'url' })).toThrow(ConfigError);
    expect(() => createProvider({ redis: 'redis://127.0.0.1:6380', provider: 'embedded' })).toThrow(ConfigError);
    expect(() => createProvider({ redis: 'ftp://x' })).toThrow(ConfigError);
  });
});

describe('cleanup', () => {
  let server: StartedRedis;
  let client: Redis;
  beforeAll(async () => {
    server = await new EmbeddedRedisProvider().start();
    client = new Redis(server.url);
  });
  afterAll(async () => {
    await client?.quit();
    await server?.stop();
  });

  it('escapes glob metacharacters in the prefix', () => {
    expect(escapeGlob('a*b?c[d]e\\f{g}')).toBe('a\\*b\\?c\\[d\\]e\\\\f{g}');
    expect(prefixPattern('runA')).toBe('runA:{runA:*}:*');
    expect(prefixPattern('runA')).toBe(new Keyspace({ prefix: 'runA', shards: 1 }).scanPattern());
    expect(prefixPattern('r*n')).toBe('r\\*n:{r\\*n:*}:*');
  });

  it('deletes exactly the keys of one prefix', async () => {
    const a = new Keyspace({ prefix: 'runA', shards: 4 });
    const ab = new Keyspace({ prefix: 'runAB', shards: 4 });
    const runAKeys: string[] = [];
    const runABKeys: string[] = [];
    // More keys than one SCAN/UNLINK batch.
    for (let i = 0; i < 1200; i++) runAKeys.push(a.experiment(`e${i}`));
    for (const s of a.shardIds()) runAKeys.push(a.queue(s, 'extract'), a.deadLetter(s));
    for (let i = 0; i < 50; i++) runABKeys.push(ab.experiment(`e${i}`));
    const others = ['runA', 'runA:plain', 'runAB:{runAB:0}', 'other:{runA:0}:exp:x', 'x:runA:{runA:0}:exp'];
    const pipe = client.pipeline();
    for (const k of [...runAKeys, ...runABKeys, ...others]) pipe.set(k, '1');
    await pipe.exec();
    const before = await client.dbsize();
    expect(before).toBe(runAKeys.length + runABKeys.length + others.length);

    const deleted = await deleteKeysByPattern(server.url, prefixPattern('runA'));
    expect(deleted).toBe(runAKeys.length);
    expect(await client.dbsize()).toBe(runABKeys.length + others.length);
    expect(await client.exists(...runABKeys)).toBe(runABKeys.length);
    expect(await client.exists(...others)).toBe(others.length);
    expect(await client.exists(...runAKeys.slice(0, 500))).toBe(0);

    expect(await deleteKeysByPattern(server.url, prefixPattern('runA'))).toBe(0);
  });

  it('refuses a pattern without a literal prefix', async () => {
    await expect(deleteKeysByPattern(server.url, '*')).rejects.toBeInstanceOf(ConfigError);
    await expect(deleteKeysByPattern(server.url, '?x*')).rejects.toBeInstanceOf(ConfigError);
  });
});

const engine = await containerEngineAvailable();
if (!engine.ok) console.warn(`[container provider tests skipped] ${engine.reason}`);

describe('container provider', () => {
  it.skipIf(!engine.ok)(
    'starts Redis in a container on loopback, answers PING, and stop() removes it',
    async () => {
      const provider = new ContainerRedisProvider();
      expect(provider.name).toBe('container');
      const started = await provider.start();
      try {
        expect(started.owned).toBe(true);
        expect(started.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
        expect(await ping(started.url)).toBe('PONG');
      } finally {
        await started.stop();
      }
      expect(await tcpProbe(started.url)).toBe('ECONNREFUSED');
    },
    90_000,
  );

  it('without an engine, start() is RedisUnavailableError with the fix', async () => {
    if (engine.ok) return; // covered only when no engine answers
    const err = await new ContainerRedisProvider({ engineTimeoutMs: 5000 }).start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toContain('container-engine.sh');
  });
});
