/**
 * The bare streams peer against a real redis-server: every experiment completes exactly once
 * with the right final result, each transition is one Lua call whose inner commands are counted
 * exactly by INFO commandstats, and a duplicate delivery of a transition changes nothing (its
 * XACK answers 0). No timing assertions.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedRedisProvider } from '../../harness/redis/embedded.js';
import { BareStreamsDesign } from '../../bench/peers/bare-streams-design.js';
import { BARE_GROUP, bareKeys } from '../../bench/peers/bare-streams-keys.js';
import { bareCall, loadBareScripts } from '../../bench/peers/bare-streams-scripts.js';

let server: { url: string; stop(): Promise<void> };
let admin: Redis;
beforeAll(async () => {
  server = await new EmbeddedRedisProvider().start();
  admin = new Redis(server.url);
});
afterAll(async () => {
  admin?.disconnect();
  await server?.stop();
});

async function calls(): Promise<Record<string, number>> {
  const info = await admin.info('commandstats');
  return Object.fromEntries([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
}

const ids = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}-${i}`);

describe('bare streams peer', () => {
  it('completes 8 experiments exactly once; one Lua call per transition, its commands counted exactly', async () => {
    const design = new BareStreamsDesign();
    const prefix = 'bare-once';
    await design.start(server.url, { fanOut: 4, prefix });
    try {
      await admin.config('RESETSTAT');
      const exps = ids('e', 8);
      await Promise.all(exps.map((id) => design.runExperiment(id)));
      const c = await calls();
      const n = exps.length;
      // 9 tasks: pre_test, analyse × 4, synthesis, review × 2, moderation
      expect(design.stats()).toEqual({ pre_test: n, analyse_batch: 4 * n, corpus_synthesis: n, review: 2 * n, moderation: n });
      expect(exps.map((id) => design.endsSeen(id))).toEqual(exps.map(() => 1));
      expect(await admin.xlen(bareKeys(prefix).done())).toBe(n);
      expect(design.duplicatesIgnored()).toBe(0);
      // per experiment: 9 EVALSHA (one per transition), 9 XACK, 10 XADD (submit + 4 + synthesis + 2 + moderation + done),
      // 6 HSET and 6 HLEN (the arrivals), 2 HVALS and 2 DEL (the last arrivals)
      expect({ evalsha: c.evalsha, xack: c.xack, xadd: c.xadd, hset: c.hset, hlen: c.hlen, hvals: c.hvals, del: c.del }).toEqual({
        evalsha: 9 * n, xack: 9 * n, xadd: 10 * n, hset: 6 * n, hlen: 6 * n, hvals: 2 * n, del: 2 * n,
      });
      expect(await admin.keys(`${prefix}:bare:fi:*`)).toEqual([]);
    } finally {
      await design.stop();
    }
  });

  it('a duplicate delivery of every transition is ignored: the XACK answers 0 and nothing is added', async () => {
    const design = new BareStreamsDesign({ duplicateDeliveries: true });
    const prefix = 'bare-dup';
    await design.start(server.url, { fanOut: 4, prefix });
    try {
      await admin.config('RESETSTAT');
      const exps = ids('d', 6);
      await Promise.all(exps.map((id) => design.runExperiment(id)));
      const n = exps.length;
      await design.stop(); // a reply reaches the design with the read it went out with: stop() waits for the last reads
      const c = await calls();
      expect(design.duplicatesIgnored()).toBe(9 * n);
      expect(exps.map((id) => design.endsSeen(id))).toEqual(exps.map(() => 1));
      expect(await admin.xlen(bareKeys(prefix).done())).toBe(n);
      // twice the calls, but the same effects as one delivery each
      expect({ evalsha: c.evalsha, xack: c.xack, xadd: c.xadd, hset: c.hset }).toEqual({ evalsha: 18 * n, xack: 18 * n, xadd: 10 * n, hset: 6 * n });
      expect(await admin.xlen(bareKeys(prefix).stage('analyse_batch'))).toBe(4 * n);
    } finally {
      await design.stop();
    }
  });

  it('replaying an acknowledged transition by hand answers 0 and adds no message (advance and arrive)', async () => {
    const design = new BareStreamsDesign();
    const prefix = 'bare-replay';
    const k = bareKeys(prefix);
    await design.start(server.url, { fanOut: 4, prefix });
    try {
      await design.runExperiment('r');
      const shas = await loadBareScripts(admin);
      const [[preId]] = (await admin.xrange(k.stage('pre_test'), '-', '+')) as [string, string[]][];
      const [[analyseId]] = (await admin.xrange(k.stage('analyse_batch'), '-', '+')) as [string, string[]][];
      const before = await Promise.all([admin.xlen(k.stage('analyse_batch')), admin.xlen(k.stage('corpus_synthesis'))]);
      const h = JSON.stringify({ exp: 'r', index: 0, fanOut: 4 });
      expect(await bareCall(admin, shas, 'bare-advance', [k.stage('pre_test'), k.stage('analyse_batch')], [BARE_GROUP, preId, 1000, h, '{}'])).toBe(0);
      expect(await bareCall(admin, shas, 'bare-arrive', [k.stage('analyse_batch'), k.fanIn('r', 'corpus_synthesis'), k.stage('corpus_synthesis')], [BARE_GROUP, analyseId, 1000, 0, '{}', 1, h])).toBe(0);
      expect(await Promise.all([admin.xlen(k.stage('analyse_batch')), admin.xlen(k.stage('corpus_synthesis'))])).toEqual(before);
      expect(await admin.exists(k.fanIn('r', 'corpus_synthesis'))).toBe(0);
      expect(design.endsSeen('r')).toBe(1);
    } finally {
      await design.stop();
    }
  });
});
