/** The nemesis records each injection as structured data the checkers read (no Redis: a stub admin connection). */
import { describe, expect, it } from 'vitest';
import { FaninError } from '../../../src/index.js';
import { HistoryRecorder } from '../../../harness/history/recorder.js';
import { Nemesis, scheduledFires } from '../../../harness/nemesis/nemesis.js';
import type { NemesisTargets } from '../../../harness/nemesis/types.js';

function targets(client: () => Promise<number>): NemesisTargets {
  return {
    redis: { owned: true }, admin: { client }, history: new HistoryRecorder(), stages: ['a', 'b'], random: () => 0.5,
  } as unknown as NemesisTargets;
}

async function runOnce(client: () => Promise<number>) {
  const t = targets(client);
  const n = new Nemesis([{ fault: 'client-kill', trigger: { atMs: 0 }, params: {} }]);
  n.start(t);
  await new Promise((r) => setTimeout(r, 50));
  await n.stop();
  return t.history.history().filter((e) => e.type === 'nemesis');
}

describe('nemesis records', () => {
  it('an injection that succeeded: which fault of the schedule, ok, when', async () => {
    const [e] = await runOnce(async () => 3);
    expect(e.cause).toBe('client-kill: CLIENT KILL TYPE normal closed 3 connection(s)');
    expect(e.fault).toMatchObject({ fault: 'client-kill', spec: 0, ok: true });
    expect(e.fault!.endedAt).toBeGreaterThanOrEqual(e.fault!.startedAt);
  });

  it('an injection that failed: ok false, with the error', async () => {
    const [e] = await runOnce(async () => {
      throw new Error('connection refused');
    });
    expect(e.fault).toMatchObject({ fault: 'client-kill', spec: 0, ok: false, error: 'connection refused' });
  });

  it('refuses unknown parameters before anything runs', () => {
    let err: unknown;
    try {
      new Nemesis([{ fault: 'client-kill', trigger: { atMs: 0 }, params: { count: 2 } }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FaninError);
    expect((err as FaninError).message).toBe('fault "client-kill": unknown parameter "count" (it takes no parameters)');
  });

  it('a random trigger schedules its count of injections', () => {
    expect(scheduledFires({ trigger: { random: { count: 3, withinMs: 100 } } })).toBe(3);
    expect(scheduledFires({ trigger: { atMs: 5 } })).toBe(1);
  });
});
