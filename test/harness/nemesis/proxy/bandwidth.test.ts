import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyFixture, timed } from './proxy-fixture.js';

describe('bandwidth toxic', () => {
  let fx: ProxyFixture;
  beforeAll(async () => {
    fx = await ProxyFixture.start();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('limits a 100 KB fetch at 50 KB/s to about 2 s', async () => {
    const { redis } = await fx.client({ commandTimeout: 10_000 });
    const value = Buffer.alloc(100_000, 'x');
    await redis.set('bw:v', value);
    const fast = await timed(() => redis.getBuffer('bw:v'));
    expect(fast.ms).toBeLessThan(500);

    fx.proxy.addToxic({ type: 'bandwidth', stream: 'downstream', attributes: { rate: 50 } });
    const slow = await timed(() => redis.getBuffer('bw:v'));
    expect(slow.value?.equals(value)).toBe(true);
    expect(slow.ms).toBeGreaterThanOrEqual(1500);
    expect(slow.ms).toBeLessThan(6000);

    // Small commands still get through, paced but not stuck.
    expect(await redis.ping()).toBe('PONG');
    fx.proxy.removeToxic('bandwidth_downstream');
    const again = await timed(() => redis.getBuffer('bw:v'));
    expect(again.ms).toBeLessThan(500);
  });
});
