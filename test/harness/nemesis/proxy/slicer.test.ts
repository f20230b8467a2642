import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyFixture, timed } from './proxy-fixture.js';

describe('slicer toxic', () => {
  let fx: ProxyFixture;
  beforeAll(async () => {
    fx = await ProxyFixture.start({ seed: 99 });
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('a 200 KB value and a 500-command pipeline round-trip intact through small delayed slices', async () => {
    const { redis } = await fx.client({ commandTimeout: 10_000 });
    for (const stream of ['upstream', 'downstream'] as const) {
      fx.proxy.addToxic({ type: 'slicer', stream, attributes: { average_size: 64, size_variation: 32, delay: 20 } });
    }
    const value = Buffer.alloc(200 * 1024);
    for (let i = 0; i < value.length; i++) value[i] = (i * 131 + 17) & 0xff;
    await redis.set('sl:big', value);
    expect((await redis.getBuffer('sl:big'))?.equals(value)).toBe(true);

    const pipe = redis.pipeline();
    for (let i = 0; i < 250; i++) pipe.set(`sl:p:${i}`, `v${i}`.repeat(5));
    for (let i = 0; i < 250; i++) pipe.get(`sl:p:${i}`);
    const results = (await pipe.exec()) ?? [];
    expect(results).toHaveLength(500);
    for (let i = 0; i < 250; i++) {
      expect(results[i]).toEqual([null, 'OK']);
      expect(results[250 + i]).toEqual([null, `v${i}`.repeat(5)]);
    }
    fx.proxy.clearToxics();
  });

  it('really slices: 4-byte pieces 2 ms apart make a 200-byte reply take ~100 ms', async () => {
    const { redis } = await fx.client();
    await redis.set('sl:small', 'y'.repeat(200));
    fx.proxy.addToxic({ type: 'slicer', stream: 'downstream', attributes: { average_size: 4, delay: 2000 } });
    try {
      const { ms, value } = await timed(() => redis.get('sl:small'));
      expect(value).toBe('y'.repeat(200));
      expect(ms).toBeGreaterThanOrEqual(80); // 52 pieces, 51 gaps of 2 ms
      expect(ms).toBeLessThan(2000);
    } finally {
      fx.proxy.clearToxics();
    }
  });
});
