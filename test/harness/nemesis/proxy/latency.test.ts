import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyFixture, timed } from './proxy-fixture.js';

describe('latency toxic', () => {
  let fx: ProxyFixture;
  beforeAll(async () => {
    fx = await ProxyFixture.start({ seed: 7 });
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('delays replies on an existing connection, and removing it makes them fast again', async () => {
    const { redis } = await fx.client();
    await redis.ping(); // connected before the toxic exists
    const name = fx.proxy.addToxic({ type: 'latency', stream: 'downstream', attributes: { latency: 100, jitter: 10 } });
    expect(name).toBe('latency_downstream');
    for (let i = 0; i < 3; i++) {
      const { ms, value } = await timed(() => redis.ping());
      expect(value).toBe('PONG');
      expect(ms).toBeGreaterThanOrEqual(89); // 100 - 10, less a timer rounding
      expect(ms).toBeLessThan(400);
    }
    fx.proxy.removeToxic(name);
    const fast = await timed(() => redis.ping());
    expect(fast.ms).toBeLessThan(50);
  });

  it('releases a chunk it is holding when removed', async () => {
    const { redis } = await fx.client();
    const name = fx.proxy.addToxic({ type: 'latency', name: 'slow', stream: 'upstream', attributes: { latency: 5000 } });
    const pending = timed(() => redis.ping());
    await new Promise((r) => setTimeout(r, 100));
    fx.proxy.removeToxic(name);
    const { ms } = await pending;
    expect(ms).toBeLessThan(1000);
  });

  it('keeps order under heavy jitter (200 pipelined INCRs return 1..200)', async () => {
    const { redis } = await fx.client({ commandTimeout: 10_000 });
    // Slice both ways into small pieces so that every piece draws its own jitter.
    fx.proxy.addToxic({ type: 'slicer', name: 'up-slices', stream: 'upstream', attributes: { average_size: 16, size_variation: 8 } });
    fx.proxy.addToxic({ type: 'slicer', name: 'down-slices', stream: 'downstream', attributes: { average_size: 4, size_variation: 3 } });
    fx.proxy.addToxic({ type: 'latency', name: 'up-jitter', stream: 'upstream', attributes: { latency: 40, jitter: 40 } });
    fx.proxy.addToxic({ type: 'latency', name: 'down-jitter', stream: 'downstream', attributes: { latency: 60, jitter: 60 } });
    try {
      await redis.del('lat:counter');
      const pipe = redis.pipeline();
      for (let i = 0; i < 200; i++) pipe.incr('lat:counter');
      const results = (await pipe.exec()) ?? [];
      expect(results.map(([err, v]) => (err ? String(err) : v))).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    } finally {
      fx.proxy.clearToxics();
    }
    expect(fx.proxy.listToxics()).toEqual([]);
  });
});
