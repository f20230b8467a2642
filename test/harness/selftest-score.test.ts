import { describe, expect, it } from 'vitest';
import { scoreSelftest } from '../../harness/selftest/run-selftest.js';
import type { SelftestCell } from '../../harness/selftest/selftest-report.js';

const cell = (variant: string, caught: boolean, transport: 'streams' | 'lists' = 'lists'): SelftestCell =>
  ({ variant, bug: 'b', scenario: 'happy-path', transport, caught, checker: caught ? 'executions' : null, evidence: null, error: null });

describe('the selftest score', () => {
  it('a variant with no cell on the transports asked for is listed as not run, never as missed', () => {
    const clean = new Map([['happy-path|lists', { passed: true, detail: '' }]]);
    const r = scoreSelftest(['a', 'streams-only'], [cell('a', true)], clean);
    expect(r).toMatchObject({ variants: ['a'], notRun: ['streams-only'], caught: ['a'], score: 1, passed: true });
  });

  it('a variant missed in one of its cells is not caught; a clean-core failure is a false alarm', () => {
    const clean = new Map([['happy-path|lists', { passed: true, detail: '' }], ['happy-path|streams', { passed: false, detail: 'lost-tasks: 1 lost' }]]);
    const r = scoreSelftest(['a', 'b'], [cell('a', true), cell('a', false, 'streams'), cell('b', true)], clean);
    expect(r).toMatchObject({ caught: ['b'], score: 0.5, passed: false });
    expect(r.falseAlarms).toEqual([{ cell: 'happy-path · streams', detail: 'lost-tasks: 1 lost' }]);
  });

  it('nothing run passes nothing', () => {
    expect(scoreSelftest(['streams-only'], [], new Map())).toMatchObject({ variants: [], score: 0, passed: false });
  });
});
