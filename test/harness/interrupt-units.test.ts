/** The pieces of an interruption, without processes: waiting until aborted, the runs that ended, the matrix. */
import { describe, expect, it } from 'vitest';
import { endedRuns, interruptSignalOf, untilInterrupted } from '../../harness/runner/interrupt.js';
import { runMatrix } from '../../harness/runner/matrix.js';
import { ev, history } from './checkers/build-history.js';

describe('untilInterrupted', () => {
  it('returns the work’s result, or null as soon as the signal aborts (the late rejection is swallowed)', async () => {
    expect(await untilInterrupted(undefined, Promise.resolve(1))).toBe(1);
    expect(await untilInterrupted(new AbortController().signal, Promise.resolve(2))).toBe(2);
    const c = new AbortController();
    let rejectWork: (e: Error) => void = () => undefined;
    const work = new Promise<number>((_, reject) => (rejectWork = reject));
    const waiting = untilInterrupted(c.signal, work);
    c.abort('SIGTERM');
    expect(await waiting).toBeNull();
    rejectWork(new Error('the orchestrator closed under the wait'));
    expect(interruptSignalOf(c.signal)).toBe('SIGTERM');
    const already = new AbortController();
    already.abort('SIGINT');
    expect(await untilInterrupted(already.signal, new Promise(() => undefined))).toBeNull();
    expect(interruptSignalOf(already.signal)).toBe('SIGINT');
  });
});

describe('endedRuns', () => {
  it('lists the runs of this run id that completed or failed, in run order, timed from the history', () => {
    const h = history(
      ev('submitted', { experimentId: 'eabc-2', ts: 1000 }),
      ev('submitted', { experimentId: 'eabc-1', ts: 1001 }),
      ev('submitted', { experimentId: 'eabc-3', ts: 1002 }),
      ev('submitted', { experimentId: 'other-1', ts: 1003 }),
      ev('experiment-failed', { experimentId: 'eabc-2', ts: 1040, stage: 'review', cause: 'boom' }),
      ev('experiment-completed', { experimentId: 'eabc-1', ts: 1050, stage: 'moderation' }),
      ev('experiment-completed', { experimentId: 'other-1', ts: 1060 }),
    );
    expect(endedRuns(h, 'eabc')).toEqual([
      { run: 1, experimentId: 'eabc-1', status: 'completed', cause: '', stage: 'moderation', submittedAt: 1001, finishedAt: 1050, durationMs: 49 },
      { run: 2, experimentId: 'eabc-2', status: 'failed', cause: 'boom', stage: 'review', submittedAt: 1000, finishedAt: 1040, durationMs: 40 },
    ]);
  });
});

describe('runMatrix', () => {
  it('an interrupted matrix stops before its next cell and says so', async () => {
    const c = new AbortController();
    c.abort('SIGINT');
    const m = await runMatrix({ runs: 1 }, { reportDir: '/nonexistent', signal: c.signal, scenarios: ['happy-path'] });
    expect(m).toMatchObject({ rows: [], allMatch: false, interrupted: { signal: 'SIGINT' } });
  });
});
