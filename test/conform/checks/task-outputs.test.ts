import { describe, expect, it } from 'vitest';
import { taskOutputsCheck } from '../../../harness/conform/checks/task-outputs.js';
import { completed, correctRun, input, rec } from './ledger-fixtures.js';

describe('task outputs check', () => {
  it('passes the expected outputs', () => {
    expect(taskOutputsCheck(input(correctRun('cf-1', 2), [completed('cf-1', 2)]))).toEqual([]);
  });

  it('reports a wrong output (wrong inputs), an unknown task, an unknown experiment and a malformed record', () => {
    const recs = [
      rec('end', 'cf-2', 'corpus_synthesis', 0, 'w.0.1', { ok: true, output: 'f'.repeat(64) }),
      rec('start', 'cf-2', 'analyse_batch', 7, 'w.0.1'),
      rec('start', 'cf-9', 'pre_test', 0, 'w.0.1'),
    ];
    const ev = taskOutputsCheck(input(recs, [completed('cf-2', 2)], { invalid: [{ id: '1-0', problem: 'type is "begin", not start, end or dead' }] }));
    expect(ev).toEqual([
      'ledger record 1-0 is not a contract record: type is "begin", not start, end or dead',
      expect.stringMatching(/^corpus_synthesis\[0\] of cf-2: output ffffffffffff… by worker w\.0\.1, expected [0-9a-f]{12}… \(wrong or missing inputs\) \(ledger \d+-0\)$/),
      expect.stringMatching(/^experiment cf-2: the ledger names analyse_batch\[7\], which the workload does not have/),
      expect.stringMatching(/^the ledger has 1 record\(s\) of experiment cf-9, which fanin never submitted/),
    ]);
  });
});
