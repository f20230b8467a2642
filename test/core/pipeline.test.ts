/**
 * The constitutional-analysis pipeline end to end on a real redis-server, both transports,
 * one and several shards: the final report carries the fixture corpus's numbers.
 */
import { describe, expect, it } from 'vitest';
import { constitutionalHandlers, runPipelineLocally } from '../../src/agents/index.js';
import { loadReferenceInput } from '../../src/analysis/load-fixtures.js';
import { finalReportSchema, type FinalReport } from '../../src/analysis/report-schema.js';
import { contentHash } from '../../src/artifacts/canonical-json.js';
import { deploy, eventsOf } from '../support/deployment.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
const input = loadReferenceInput();

describe.each([
  ['streams', 1],
  ['lists', 1],
  ['streams', 3],
  ['lists', 3],
] as const)('constitutional pipeline over %s with %i shard(s)', (transport, shards) => {
  it('completes 6 concurrent experiments with the reference report', async () => {
    const d = await deploy({ url: srv.url, transport, handlers: constitutionalHandlers, prefix: `pipe-${transport}-${shards}`, worker: { shards }, orchestrator: { shards } });
    try {
      const ids = await Promise.all(Array.from({ length: 6 }, () => d.orchestrator.submit({ input, params: { batchSize: 3 } })));
      if (shards > 1) expect(new Set(ids.map((id) => d.orchestrator.keys.shardOf(id))).size).toBeGreaterThan(1);
      const states = await Promise.all(ids.map((id) => d.orchestrator.waitFor(id, 20_000)));
      expect(states.map((s) => [s.status, s.cause])).toEqual(ids.map(() => ['completed', '']));

      const local = await runPipelineLocally(input, { batchSize: 3 });
      for (const [i, id] of ids.entries()) {
        const report = finalReportSchema.parse(await d.orchestrator.getResult(id)) as FinalReport;
        // the numbers of the fixture corpus
        expect(report.documentCount).toBe(14);
        expect(report.batchCount).toBe(5);
        expect(report.verdict).toBe('concerns');
        expect(report.ranking[0].id).toBe('s01-harbour-charter');
        expect(report.ranking[report.ranking.length - 1].id).toBe('s09-victory-at-the-stadium');
        const mean = (dim: string) => report.dimensions.find((x) => x.id === dim)?.mean;
        expect(mean('institutional_respect')).toBe(0.244021);
        expect(mean('rule_of_law')).toBe(0.153227);
        expect(mean('democratic_accountability')).toBe(0.233924);
        expect(report.overall.mean).toBe(0.120397);
        expect(report.reviewsConsidered).toHaveLength(2);
        // content addressing: the result hash is the SHA-256 of the report's canonical JSON
        expect(states[i].resultHash).toBe(contentHash(report).hash);
        expect(states[i].resultHash).toBe(local.hashes.moderation[0]);
        // fan-out widths as designed: 1 → 5 → 1 → 2 → 1
        const advanced = eventsOf(d.events, 'stage-advanced', { experimentId: id }).map((e) => e.width);
        expect(advanced).toEqual([5, 1, 2, 1]);
      }
      // the ended experiments are retired by the workers' maintenance: every key they own
      // (task data included) then has a TTL
      const prefix = d.orchestrator.keys.prefix;
      const untimed = async () => {
        const owned = await srv.client.keys(`${prefix}:{${prefix}:*}:*`);
        const mine = owned.filter((k) => ids.some((id) => k.includes(`:${id}`)));
        const ttls = await Promise.all(mine.map((k) => srv.client.pttl(k)));
        return { count: mine.length, untimed: mine.filter((_, i) => ttls[i] < 0) };
      };
      let left = await untimed();
      for (let i = 0; i < 100 && left.untimed.length > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        left = await untimed();
      }
      expect(left.count).toBeGreaterThan(6 * 10);
      expect(left.untimed).toEqual([]);
      expect(d.workers.flatMap((w) => w.errors)).toEqual([]);
    } finally {
      await d.stop();
    }
  });
});
