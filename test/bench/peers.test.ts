/**
 * The peer designs of the comparative benchmark (BullMQ flows, list + polling, bare streams): each runs
 * experiments end to end on its own redis-server, its agents' input checks actually run, and
 * those checks bite. No timing assertions.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedRedisProvider } from '../../harness/redis/embedded.js';
import {
  AgentCheckError,
  analyseBatch,
  corpusSynthesis,
  moderation,
  preTest,
  review,
  type StageCounts,
} from '../../bench/peers/agents.js';
import { bullmqJobId } from '../../bench/peers/bullmq-design.js';
import { PEERS, createPeer } from '../../bench/peers/index.js';

describe('peer agents: input checks', () => {
  const analyses = (exp: string, n: number) => Array.from({ length: n }, (_, index) => analyseBatch(exp, index, preTest(exp, n)));

  it('synthesis accepts exactly fanOut results with indexes 0..fanOut-1 of its experiment', () => {
    expect(corpusSynthesis('e1', 4, analyses('e1', 4))).toEqual({ exp: 'e1', batches: 4 });
    expect(corpusSynthesis('e1', 4, analyses('e1', 4).reverse())).toEqual({ exp: 'e1', batches: 4 });
  });

  it('synthesis throws on 3 of 4 results, a duplicate, an index out of range, or another experiment', () => {
    const four = analyses('e1', 4);
    expect(() => corpusSynthesis('e1', 4, four.slice(0, 3))).toThrow(AgentCheckError);
    expect(() => corpusSynthesis('e1', 4, [...four.slice(0, 3), four[0]])).toThrow(/duplicate index 0/);
    expect(() => corpusSynthesis('e1', 4, [...four.slice(0, 3), { exp: 'e1', index: 4 }])).toThrow(/out of range/);
    expect(() => corpusSynthesis('e1', 4, [...four.slice(0, 3), { exp: 'e2', index: 3 }])).toThrow(/another experiment/);
    expect(() => corpusSynthesis('e1', 4, [...four, { exp: 'e1', index: 0 }])).toThrow(/expected 4 inputs, got 5/);
  });

  it('moderation needs both reviews; review and analyse check their upstream', () => {
    const synth = corpusSynthesis('e1', 4, analyses('e1', 4));
    const reviews = [review('e1', 0, 4, synth), review('e1', 1, 4, synth)];
    expect(moderation('e1', reviews)).toEqual({ exp: 'e1', reviews: 2 });
    expect(() => moderation('e1', reviews.slice(0, 1))).toThrow(AgentCheckError);
    expect(() => moderation('e1', [reviews[0], reviews[0]])).toThrow(/duplicate reviewer/);
    expect(() => review('e1', 0, 16, synth)).toThrow(/expected 16/);
    expect(() => review('e2', 0, 4, synth)).toThrow(/another experiment/);
    expect(() => analyseBatch('e1', 4, preTest('e1', 4))).toThrow(AgentCheckError);
    expect(() => preTest('e1', 0)).toThrow(AgentCheckError);
  });

  it('BullMQ job ids are fixed per (stage, index, experiment) and never contain ":"', () => {
    expect(bullmqJobId('analyse_batch', 3, 'exp:1%')).toBe('analyse_batch.3.exp%3A1%25');
    expect(bullmqJobId('moderation', 0, 'x')).not.toBe(bullmqJobId('moderation', 0, 'y'));
  });
});

for (const peer of PEERS) {
  describe(`peer design: ${peer}`, () => {
    let server: { url: string; stop(): Promise<void> };
    beforeAll(async () => {
      server = await new EmbeddedRedisProvider().start();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('runs 5 experiments at fanOut 4 and 2 at fanOut 16 concurrently, every agent once per task', async () => {
      const design = createPeer(peer);
      expect(design.name).toBe(peer);
      await design.start(server.url, { fanOut: 4, prefix: `t-${peer}` });
      try {
        await Promise.all([
          ...Array.from({ length: 5 }, (_, i) => design.runExperiment(`a:${i}`)),
          ...Array.from({ length: 2 }, (_, i) => design.runExperiment(`b:${i}`, { fanOut: 16 })),
        ]);
        const expected: StageCounts = { pre_test: 7, analyse_batch: 4 * 5 + 16 * 2, corpus_synthesis: 7, review: 14, moderation: 7 };
        expect(design.stats()).toEqual(expected);
        // A second round reuses the same design (no state left behind by the first).
        await Promise.all(Array.from({ length: 3 }, (_, i) => design.runExperiment(`c:${i}`)));
        expect(design.stats().moderation).toBe(10);
      } finally {
        await design.stop();
      }
    });

    it('a failing input check fails the experiment instead of completing it', async () => {
      const design = createPeer(peer, { timeoutMs: 10_000 });
      await design.start(server.url, { fanOut: 4, prefix: `neg-${peer}` });
      try {
        // fanOut 0: pre_test's check throws, so nothing downstream may run.
        await expect(design.runExperiment('bad', { fanOut: 0 })).rejects.toThrow(/bad fanOut/);
        expect(design.stats()).toMatchObject({ pre_test: 1, analyse_batch: 0, moderation: 0 });
        await design.runExperiment('good'); // the design still works afterwards
        expect(design.stats().moderation).toBe(1);
      } finally {
        await design.stop();
      }
    });

    it('leaves bounded state behind: nothing for polling, the kept window of jobs for bullmq, the capped streams for bare', async () => {
      const keep = 5;
      const design = peer === 'bullmq' ? createPeer('bullmq', { keep }) : createPeer(peer);
      const prefix = `mem-${peer}`;
      await design.start(server.url, { fanOut: 4, prefix });
      const admin = new Redis(server.url);
      try {
        for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 8 }, (_, i) => design.runExperiment(`m${round}-${i}`)));
        const keys = await admin.keys(`${prefix}:*`);
        if (peer === 'polling') {
          expect(keys).toEqual([]);
        } else if (peer === 'bare') {
          // the five stage streams and the done stream; every fan-in hash was deleted by its last arrival
          const streams = ['analyse_batch', 'corpus_synthesis', 'moderation', 'pre_test', 'review'].map((s) => `${prefix}:bare:s:${s}`);
          expect(keys.sort()).toEqual([`${prefix}:bare:done`, ...streams].sort());
        } else {
          // Per queue: at most `keep` finished jobs (job hash plus, for parents, a `:processed` hash).
          const jobHashes = keys.filter((k) => /:(pre_test|analyse_batch|corpus_synthesis|review|moderation)\.\d+\./.test(k));
          expect(jobHashes.length).toBeLessThanOrEqual(5 * keep * 2);
          for (const q of ['pre_test', 'analyse_batch', 'corpus_synthesis', 'review', 'moderation']) {
            expect(await admin.zcard(`${prefix}:${q}:completed`)).toBeLessThanOrEqual(keep);
          }
        }
      } finally {
        admin.disconnect();
        await design.stop();
      }
    });
  });
}
