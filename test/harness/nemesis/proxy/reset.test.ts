import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyFixture, eventually, readyAgain, timed } from './proxy-fixture.js';

const RESET_FAILURE = /ECONNRESET|Connection is closed|max retries per request/i;

function sawReset(errors: Error[]): boolean {
  return errors.some((e) => (e as NodeJS.ErrnoException).code === 'ECONNRESET');
}

describe('reset_peer toxic and resetAllConnections()', () => {
  let fx: ProxyFixture;
  beforeAll(async () => {
    fx = await ProxyFixture.start();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('reset_peer (timeout 0): the in-flight command fails with a reset, and the client recovers once it is removed', async () => {
    const { redis, errors } = await fx.client({ maxRetriesPerRequest: 0 });
    await redis.set('rp:k', 'v');
    const name = fx.proxy.addToxic({ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } });
    await expect(redis.get('rp:k')).rejects.toThrow(RESET_FAILURE);
    expect(sawReset(errors)).toBe(true);

    fx.proxy.removeToxic(name);
    await readyAgain(redis);
    expect(await redis.get('rp:k')).toBe('v');
  });

  it('reset_peer (timeout 200, downstream): the reply is held, then the connection is reset', async () => {
    const { redis, errors } = await fx.client({ maxRetriesPerRequest: 0 });
    fx.proxy.addToxic({ type: 'reset_peer', name: 'late-reset', stream: 'downstream', attributes: { timeout: 200 } });
    const failed = await timed(() => redis.ping().then(() => 'resolved', (err: Error) => err.message));
    expect(failed.value).toMatch(RESET_FAILURE);
    expect(failed.ms).toBeGreaterThanOrEqual(190);
    expect(sawReset(errors)).toBe(true);

    fx.proxy.removeToxic('late-reset');
    await readyAgain(redis);
    expect(await redis.ping()).toBe('PONG');
  });

  it('resetAllConnections() resets every live connection; clients reconnect', async () => {
    const a = await fx.client();
    const b = await fx.client();
    await Promise.all([a.redis.ping(), b.redis.ping()]);
    const open = fx.proxy.connections();
    expect(open).toBeGreaterThanOrEqual(2);
    const acceptedBefore = fx.proxy.stats().accepted;

    const reconnecting = Promise.all([a, b].map((c) => new Promise((r) => c.redis.once('reconnecting', r))));
    fx.proxy.resetAllConnections();
    await reconnecting;
    await eventually(() => sawReset(a.errors) && sawReset(b.errors));

    await Promise.all([readyAgain(a.redis), readyAgain(b.redis)]);
    expect(await a.redis.ping()).toBe('PONG');
    expect(await b.redis.ping()).toBe('PONG');
    expect(fx.proxy.stats().accepted).toBeGreaterThanOrEqual(acceptedBefore + 2);
    await eventually(() => fx.proxy.connections() === open);
  });
});
