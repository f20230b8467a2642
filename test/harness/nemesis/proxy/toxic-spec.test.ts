import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, NotFoundError } from '../../../../src/errors.js';
import { parseToxicSpec, type ToxicSpec } from '../../../../harness/nemesis/proxy/index.js';
import { ProxyFixture, timed } from './proxy-fixture.js';

function configError(spec: unknown): ConfigError {
  try {
    parseToxicSpec(spec);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`accepted: ${JSON.stringify(spec)}`);
}

describe('toxic specs', () => {
  it('fills in Toxiproxy defaults', () => {
    expect(parseToxicSpec({ type: 'latency', attributes: { latency: 50 } })).toEqual({
      type: 'latency',
      name: 'latency_downstream',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 50, jitter: 0 },
    });
    expect(parseToxicSpec({ type: 'slicer', stream: 'upstream', attributes: { average_size: 10 } }).attributes).toEqual({
      average_size: 10,
      size_variation: 0,
      delay: 0,
    });
  });

  it('refuses bad specs with a ConfigError naming the problem', () => {
    expect(configError({ type: 'lag', attributes: {} }).message).toMatch(/unknown toxic type "lag"/);
    expect(configError({ attributes: {} }).message).toMatch(/unknown toxic type/);
    expect(configError(null).message).toMatch(/must be an object/);
    expect(configError({ type: 'latency', attributes: { latency: -5 } }).message).toMatch(/latency toxic: attributes\.latency/);
    expect(configError({ type: 'latency', attributes: { latnecy: 5 } }).message).toMatch(/latnecy/);
    expect(configError({ type: 'latency', attributes: {} }).message).toMatch(/attributes\.latency: Required/);
    expect(configError({ type: 'bandwidth', attributes: { rate: '50' } }).message).toMatch(/attributes\.rate/);
    expect(configError({ type: 'slicer', attributes: { average_size: 0 } }).message).toMatch(/attributes\.average_size/);
    expect(configError({ type: 'timeout', attributes: { timeout: Infinity } }).message).toMatch(/attributes\.timeout/);
    expect(configError({ type: 'reset_peer', stream: 'sideways', attributes: {} }).message).toMatch(/stream/);
    expect(configError({ type: 'latency', toxicity: 1.5, attributes: { latency: 1 } }).message).toMatch(/toxicity/);
    expect(configError({ type: 'latency', name: '', attributes: { latency: 1 } }).message).toMatch(/name/);
    expect(configError({ type: 'latency', colour: 'red', attributes: { latency: 1 } }).message).toMatch(/colour/);
  });
});

describe('toxicity', () => {
  let fx: ProxyFixture;
  beforeAll(async () => {
    fx = await ProxyFixture.start({ seed: 1234 });
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('addToxic validates, refuses duplicate names; removeToxic refuses unknown names', () => {
    expect(() => fx.proxy.addToxic({ type: 'nope' } as unknown as ToxicSpec)).toThrow(ConfigError);
    fx.proxy.addToxic({ type: 'latency', name: 'dup', attributes: { latency: 0 } });
    expect(() => fx.proxy.addToxic({ type: 'latency', name: 'dup', attributes: { latency: 0 } })).toThrow(/already exists/);
    fx.proxy.removeToxic('dup');
    expect(() => fx.proxy.removeToxic('dup')).toThrow(NotFoundError);
  });

  it('toxicity 0 never applies, to existing or new connections', async () => {
    const existing = await fx.client();
    fx.proxy.addToxic({ type: 'latency', name: 'never', toxicity: 0, attributes: { latency: 1000 } });
    fx.proxy.addToxic({ type: 'reset_peer', name: 'never-reset', stream: 'upstream', toxicity: 0, attributes: { timeout: 0 } });
    const fresh = await fx.client();
    for (const c of [existing, fresh]) {
      const { ms } = await timed(() => c.redis.ping());
      expect(ms).toBeLessThan(200);
    }
    fx.proxy.clearToxics();
  });

  it('toxicity is drawn once per connection, reproducibly for a given seed', async () => {
    const latency = 250;
    fx.proxy.addToxic({ type: 'latency', name: 'coin', toxicity: 0.5, attributes: { latency } });
    const second = await ProxyFixture.start({ seed: 1234 });
    try {
      second.proxy.addToxic({ type: 'latency', name: 'coin', toxicity: 0.5, attributes: { latency } });
      const pattern = async (f: ProxyFixture, acceptedBefore: number): Promise<boolean[]> => {
        const clients = [];
        for (let i = 0; i < 8; i++) clients.push(await f.client());
        expect(f.proxy.stats().accepted).toBe(acceptedBefore + 8);
        // Two rounds: a connection is either always slow or always fast.
        const rounds = [];
        for (let r = 0; r < 2; r++) {
          rounds.push(await Promise.all(clients.map(async (c) => (await timed(() => c.redis.ping())).ms >= latency - 20)));
        }
        expect(rounds[1]).toEqual(rounds[0]);
        return rounds[0]!;
      };
      // Same connection numbers on both proxies (accepted counts line up), so same draws.
      const offset = fx.proxy.stats().accepted;
      for (let i = 0; i < offset; i++) (await second.client()).redis.disconnect();
      const a = await pattern(fx, offset);
      const b = await pattern(second, offset);
      expect(b).toEqual(a);
      expect(a).toContain(true);
      expect(a).toContain(false);
    } finally {
      fx.proxy.clearToxics();
      await second.stop();
    }
  });
});
