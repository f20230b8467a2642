import { describe, expect, it } from 'vitest';
import { fanInOrderCheck } from '../../../harness/conform/checks/fan-in-order.js';
import { completed, correctRun, input } from './ledger-fixtures.js';

describe('fan-in order check', () => {
  it('passes when every stage starts after its inputs ended', () => {
    expect(fanInOrderCheck(input(correctRun('cf-1', 3), [completed('cf-1', 3)]))).toEqual([]);
  });

  it('names the fan-in that started before one of its inputs ended', () => {
    const recs = correctRun('cf-2', 3);
    // move corpus_synthesis's start before analyse_batch[2]'s end
    const csStart = recs.findIndex((r) => r.stage === 'corpus_synthesis' && r.type === 'start');
    const a2End = recs.findIndex((r) => r.stage === 'analyse_batch' && r.index === 2 && r.type === 'end');
    const early = { ...recs[csStart]!, id: `${Number(recs[a2End]!.id.split('-')[0]) - 1}-9` };
    const reordered = [...recs.slice(0, a2End), early, ...recs.slice(a2End).filter((r) => r !== recs[csStart])];
    const ev = fanInOrderCheck(input(reordered, [completed('cf-2', 3)]));
    expect(ev).toEqual([expect.stringMatching(/^experiment cf-2: corpus_synthesis\[0\] started \(worker w\.0\.1\) before analyse_batch\[2\] ended ok \(ledger \d+-9\.\.\d+-0\)$/)]);
  });

  it('names a stage that started although an input never ended ok', () => {
    const recs = correctRun('cf-3', 2).filter((r) => !(r.stage === 'review' && r.index === 1 && r.type === 'end'));
    const ev = fanInOrderCheck(input(recs, [completed('cf-3', 2)]));
    expect(ev).toEqual([expect.stringMatching(/^experiment cf-3: moderation\[0\] started \(worker w\.0\.1\) before review\[1\] had ended ok \(ledger \d+-0\)$/)]);
  });
});
