import { describe, expect, it } from 'vitest';
import { exactlyOnceCheck } from '../../../harness/conform/checks/exactly-once.js';
import type { FaultRecord } from '../../../harness/conform/checks/types.js';
import { completed, correctRun, input, out, rec } from './ledger-fixtures.js';

const twice = () => {
  const recs = correctRun('cf-2', 2, 'analyse.0.1');
  const o = out('cf-2', 2, 1, 1);
  const dup = [rec('start', 'cf-2', 'analyse_batch', 1, 'analyse.1.1', { attempt: 2 }), rec('end', 'cf-2', 'analyse_batch', 1, 'analyse.1.1', { attempt: 2, ok: true, output: o })];
  return [...recs, ...dup];
};

describe('exactly-once check', () => {
  it('passes one execution per task', () => {
    expect(exactlyOnceCheck(input(correctRun('cf-1', 3), [completed('cf-1', 3)]))).toEqual([]);
  });

  it('reports a task that ended ok twice by workers neither killed nor paused', () => {
    const ev = exactlyOnceCheck(input(twice(), [completed('cf-2', 2)]));
    expect(ev).toEqual([expect.stringMatching(/^analyse_batch\[1\] of cf-2: ended ok twice \(workers analyse\.0\.1, analyse\.1\.1\), neither killed nor paused \(ledger \d+-0\.\.\d+-0\)$/)]);
  });

  it('excuses the execution of a worker the nemesis killed or paused', () => {
    const killed: FaultRecord = { kind: 'kill', target: 'analyse.0.1', ledgerId: null, atMs: 1, detail: 'SIGKILL' };
    expect(exactlyOnceCheck(input(twice(), [completed('cf-2', 2)], { faults: [killed] }))).toEqual([]);
    const recs = twice();
    const lastId = recs[recs.length - 1]!.id;
    const paused: FaultRecord[] = [
      { kind: 'pause', target: 'analyse.0.1', ledgerId: null, atMs: 1, detail: 'SIGSTOP' },
      { kind: 'resume', target: 'analyse.0.1', ledgerId: lastId, atMs: 2, detail: 'SIGCONT' },
    ];
    expect(exactlyOnceCheck(input(recs, [completed('cf-2', 2)], { faults: paused }))).toEqual([]);
  });

  it('does not excuse a paused worker for executions it started after its resume', () => {
    const recs = twice();
    const paused: FaultRecord[] = [
      { kind: 'pause', target: 'analyse.0.1', ledgerId: null, atMs: 1, detail: 'SIGSTOP' },
      { kind: 'resume', target: 'analyse.0.1', ledgerId: recs[0]!.id, atMs: 2, detail: 'SIGCONT' },
    ];
    expect(exactlyOnceCheck(input(recs, [completed('cf-2', 2)], { faults: paused }))).toHaveLength(1);
  });

  it('reports overlapping executions and an execution that never ended', () => {
    const o = out('cf-5', 1, 0, 0);
    const recs = [
      rec('start', 'cf-5', 'pre_test', 0, 'w.0.1'),
      rec('start', 'cf-5', 'pre_test', 0, 'w.1.1'),
      rec('end', 'cf-5', 'pre_test', 0, 'w.0.1', { ok: false, error: 'x' }),
      rec('end', 'cf-5', 'pre_test', 0, 'w.1.1', { ok: true, output: o }),
      rec('start', 'cf-5', 'analyse_batch', 0, 'w.0.1'),
    ];
    const ev = exactlyOnceCheck(input(recs, [completed('cf-5', 1)]));
    expect(ev[0]).toMatch(/^pre_test\[0\] of cf-5: executed twice at once \(attempt 1 by w\.0\.1, attempt 1 by w\.1\.1\), neither killed nor paused/);
    expect(ev[1]).toMatch(/^analyse_batch\[0\] of cf-5: attempt 1 started by w\.0\.1 never ended, and that worker was neither killed nor paused \(ledger \d+-0\)$/);
  });
});
