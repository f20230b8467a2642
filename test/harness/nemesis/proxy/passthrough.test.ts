import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/errors.js';
import { TcpProxy } from '../../../../harness/nemesis/proxy/tcp-proxy.js';
import { ProxyFixture, eventually } from './proxy-fixture.js';

describe('TcpProxy passthrough', () => {
  let fx: ProxyFixture;
  beforeAll(async () => {
    fx = await ProxyFixture.start();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('rewrites a redis URL onto the proxy, keeping credentials and db', () => {
    expect(fx.proxy.url('redis://:secret@127.0.0.1:6379/3')).toBe(`redis://:secret@127.0.0.1:${fx.proxy.port}/3`);
    expect(() => fx.proxy.url('http://example.com')).toThrow(ConfigError);
  });

  it('round-trips SET/GET, a 1,000-command pipeline and a 1 MB value, and counts bytes', async () => {
    const { redis } = await fx.client();
    expect(fx.proxy.connections()).toBe(1);
    await redis.set('pt:k', 'v');
    expect(await redis.get('pt:k')).toBe('v');

    const pipe = redis.pipeline();
    for (let i = 0; i < 1000; i++) pipe.set(`pt:p:${i}`, `value-${i}`);
    for (let i = 0; i < 1000; i++) pipe.get(`pt:p:${i}`);
    const results = (await pipe.exec()) ?? [];
    expect(results).toHaveLength(2000);
    for (let i = 0; i < 1000; i++) {
      expect(results[i]).toEqual([null, 'OK']);
      expect(results[1000 + i]).toEqual([null, `value-${i}`]);
    }

    const big = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
    await redis.set('pt:big', big);
    const back = await redis.getBuffer('pt:big');
    expect(back?.equals(big)).toBe(true);

    const stats = fx.proxy.stats();
    expect(stats.accepted).toBe(1);
    expect(stats.bytesUp).toBeGreaterThan(big.length);
    expect(stats.bytesDown).toBeGreaterThan(big.length);
  });

  it('forgets closed connections', async () => {
    const { redis } = await fx.client();
    const before = fx.proxy.connections();
    await redis.quit();
    await eventually(() => fx.proxy.connections() === before - 1);
  });

  it('refuses a non-loopback upstream or listen host', async () => {
    await expect(TcpProxy.start({ upstream: { host: '10.0.0.1', port: 6379 } })).rejects.toThrow(ConfigError);
    await expect(TcpProxy.start({ upstream: { host: 'example.com', port: 6379 } })).rejects.toThrow(/loopback/);
    await expect(
      TcpProxy.start({ upstream: { host: '127.0.0.1', port: 6379 }, listenHost: '0.0.0.0' as '127.0.0.1' }),
    ).rejects.toThrow(ConfigError);
  });
});

