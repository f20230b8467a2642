/**
 * The comparison driver end to end with tiny settings: every design completes its experiments
 * (the agents check their inputs), and the report and chart render. No timing assertions.
 */
import { describe, expect, it } from 'vitest';
import { runCompare } from '../../bench/compare.js';
import { compareMarkdown, compareSvg } from '../../bench/compare-report.js';

describe('bench compare driver', () => {
  it('runs all five designs on one Redis and reports them', async () => {
    const r = await runCompare({ reps: 1, experiments: 12, seconds: 5, warmupSeconds: 0, scaling: false, scalingSeconds: 1 });
    expect(r.main.map((m) => m.design)).toEqual(['fanin-streams', 'fanin-lists', 'bullmq', 'polling', 'bare']);
    for (const m of r.main) {
      expect(m.experiments).toBe(12);
      expect(m.failed).toBe(0);
      expect(m.redisCommandsPerExperiment).toBeGreaterThan(0);
    }
    const md = compareMarkdown(r);
    expect(md).toContain('throughput streams/BullMQ');
    expect(md).toMatch(/^throughput streams\/bare: \d+\.\d\d×/m);
    expect(md).toContain('| bare |');
    expect(md).toContain('| fanin-lists |');
    expect(compareSvg(r)).toMatch(/^<svg[\s\S]*polyline[\s\S]*<\/svg>\n$/);
  }, 60_000);

  it('runs fanin streams with 1 and 2 worker processes per stage and sums their CPU', async () => {
    const r = await runCompare({ reps: 1, experiments: 12, seconds: 10, warmupSeconds: 0, scaling: false, scalingSeconds: 1, designs: [], processes: true });
    expect(r.processes.map((m) => m.design)).toEqual(['fanin-streams-1p', 'fanin-streams-2p']);
    for (const m of r.processes) {
      expect(m.experiments).toBe(12);
      expect(m.failed).toBe(0);
    }
    expect(compareMarkdown(r)).toMatch(/^throughput 2 processes\/1 process: \d+\.\d\d×$/m);
  }, 120_000);
});
