import { describe, expect, it } from 'vitest';
import { completionCheck } from '../../../harness/conform/checks/completion.js';
import { completed, correctRun, input, out, rec } from './ledger-fixtures.js';

describe('completion check', () => {
  it('passes a completed experiment whose every task ended ok', () => {
    expect(completionCheck(input(correctRun('cf-1', 3), [completed('cf-1', 3)]))).toEqual([]);
  });

  it('names the fan-in that never started although its inputs ended (a system without fan-in)', () => {
    const recs = correctRun('cf-3', 3).filter((r) => ['pre_test', 'analyse_batch'].includes(r.stage));
    const ev = completionCheck(input(recs, [completed('cf-3', 3, { wait: { status: 'hung', source: 'wait', durationMs: 20000, detail: 'wait did not answer within the experiment timeout (20000 ms)' } })]));
    expect(ev).toHaveLength(2);
    expect(ev[0]).toBe('experiment cf-3: hung: wait did not answer within the experiment timeout (20000 ms)');
    expect(ev[1]).toMatch(/^experiment cf-3: corpus_synthesis\[0\] never started although all 3 analyse_batch tasks ended \(ledger \d+-0\.\.\d+-0\)$/);
  });

  it('calls a completion the ledger does not back fabricated', () => {
    const recs = correctRun('cf-2', 2).filter((r) => r.stage !== 'moderation');
    const ev = completionCheck(input(recs, [completed('cf-2', 2)]));
    expect(ev).toEqual([expect.stringMatching(/moderation\[0\] never started although all 2 review tasks ended .* — yet the experiment was reported completed$/)]);
  });

  it('reports a wrong final output, a refused submit and a task that never ended ok', () => {
    const wrong = completed('cf-4', 1, { wait: { status: 'completed', output: 'ab'.repeat(32), source: 'wait', durationMs: 5 } });
    const refused = completed('cf-5', 1, { submit: { exitCode: 1, handle: null, stderr: 'no Redis', timedOut: false }, wait: { status: 'not-run', source: 'wait', durationMs: 0 } });
    const recs = [...correctRun('cf-4', 1), rec('start', 'cf-5', 'pre_test', 0, 'w.1.1'), rec('end', 'cf-5', 'pre_test', 0, 'w.1.1', { ok: false, error: 'boom' })];
    const ev = completionCheck(input(recs, [wrong, refused]));
    expect(ev[0]).toMatch(/^experiment cf-4: completed with final output abababababab… \(wait said\), expected [0-9a-f]{12}…$/);
    expect(ev[1]).toBe('experiment cf-5: submit exited 1 (stderr: no Redis)');
    expect(ev[2]).toMatch(/^experiment cf-5: pre_test\[0\] never ended ok: its last record failed \(attempt 1: boom\) \(ledger /);
    expect(out('cf-4', 1, 0, 0)).toMatch(/^[0-9a-f]{64}$/);
  });
});
