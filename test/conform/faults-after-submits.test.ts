/**
 * The nemesis fires only once every submit has returned: a submit still in flight when Redis is
 * restarted fails as a real client's would, which is the fault landing outside the experiment,
 * not a defect of the system. The second submit here (test/conform/fixtures/straddling-submit.ts)
 * stays in flight while the first experiment's analyse_batch runs, the L3 trigger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConform } from '../../harness/conform/run-conform.js';
import { loadSutFile } from '../../harness/conform/sut-file.js';
import { ROOT } from '../harness/cli-helpers.js';

describe('conformance faults and submits', () => {
  it('a redis-restart waits for every submit to return', async () => {
    const sut = loadSutFile(join(ROOT, 'fixtures/sut/fanin-core/fanin.sut.json'));
    const wrapper = join(ROOT, 'test/conform/fixtures/straddling-submit.ts');
    const straddling = { ...sut, submit: { ...sut.submit, command: ['node', '--import', 'tsx', wrapper, ...sut.submit.command] } };
    const logDir = mkdtempSync(join(tmpdir(), 'fanin-conform-straddle-'));
    try {
      const r = await runConform({ sut: straddling, runs: 2, level: 3, all: false, only: ['redis-restart'], quick: false, logDir });
      const sc = r.levels.flatMap((l) => l.scenarios).find((s) => s.name === 'redis-restart')!;
      expect(sc.experiments.map((e) => e.submitExit)).toEqual([0, 0]);
      expect(sc.faults.filter((f) => f.kind === 'redis-restart')).toHaveLength(1);
      expect(sc.evidence).toEqual([]);
      expect(r.level).toBe(3);
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  }, 300_000);
});
