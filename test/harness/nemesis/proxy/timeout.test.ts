import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyFixture, readyAgain, timed } from './proxy-fixture.js';

describe('timeout toxic', () => {
  let fx: ProxyFixture;
  beforeAll(async () => {
    fx = await ProxyFixture.start();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  for (const stream of ['upstream', 'downstream'] as const) {
    it(`timeout 0 (${stream}) is a blackhole: commands time out; once removed, new commands succeed`, async () => {
      const { redis } = await fx.client({ commandTimeout: 300 });
      await redis.set(`to:${stream}`, 'v');
      const name = fx.proxy.addToxic({ type: 'timeout', stream, attributes: { timeout: 0 } });
      const stuck = await timed(() => redis.get(`to:${stream}`).then(() => 'resolved', (err: Error) => err.message));
      expect(stuck.value).toMatch(/timed out/i);
      expect(stuck.ms).toBeGreaterThanOrEqual(250);
      expect(fx.proxy.connections()).toBeGreaterThanOrEqual(1); // held open, not closed

      fx.proxy.removeToxic(name);
      expect(await redis.get(`to:${stream}`)).toBe('v');
      expect(await redis.incr(`to:${stream}:n`)).toBe(1);
    });
  }

  it('timeout > 0 closes the connection after that time; the client reconnects once it is removed', async () => {
    const { redis } = await fx.client({ commandTimeout: 5000, maxRetriesPerRequest: 0 });
    const closed = new Promise((r) => redis.once('close', r));
    const name = fx.proxy.addToxic({ type: 'timeout', stream: 'upstream', attributes: { timeout: 200 } });
    const failed = await timed(() => redis.ping().then(() => 'resolved', (err: Error) => err.message));
    await closed;
    expect(failed.value).not.toBe('resolved');
    expect(failed.ms).toBeGreaterThanOrEqual(150);
    expect(failed.ms).toBeLessThan(2000);

    fx.proxy.removeToxic(name);
    await readyAgain(redis);
    expect(await redis.ping()).toBe('PONG');
  });
});
