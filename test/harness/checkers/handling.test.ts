import { describe, expect, it } from 'vitest';
import { handlingChecker } from '../../../harness/checkers/handling.js';
import { runCheckers } from '../../../harness/checkers/index.js';
import { messageIdentity } from '../../../harness/history/message-identity.js';
import type { NemesisRecord } from '../../../harness/history/types.js';
import { claim, completedExperiment, EXPECT, ev, history, inputOf, tid } from './build-history.js';

const POISON: NemesisRecord = {
  fault: 'poison-message', spec: 0, ok: true, startedAt: 1, endedAt: 2,
  effects: { injected: [{ what: 'bad JSON', stage: 'analyse_batch', identity: messageIdentity('1-0') }, { what: 'missing task data', stage: 'analyse_batch', identity: messageIdentity('2-0') }] },
};
const nem = (r: NemesisRecord, ts?: number) => ev('nemesis', { component: 'harness', cause: r.fault, fault: r, ...(ts ? { ts } : {}) });
const dead = (messageId: string, cause = 'POISON_MESSAGE: unparseable') => ev('dead-lettered', { workerId: 'w-a', stage: 'analyse_batch', messageId, cause });
const requireDead = { ...EXPECT, deadLetterExpected: true, handling: { deadLettered: 'every-injected-poison' as const } };

describe('handling checker: every injected poison message dead-lettered with a reason', () => {
  it('is valid when each injected message was dead-lettered with a reason', () => {
    const h = history(completedExperiment('e1'), nem(POISON), dead('1-0'), dead('2-0'));
    expect(handlingChecker.check(inputOf(h, ['e1'], { expect: requireDead }))).toMatchObject({ valid: true, summary: 'every requirement of the scenario met (2 checked)' });
  });

  it('poison acknowledged and dropped silently passes every checker of today; the requirement fails it', () => {
    const h = history(completedExperiment('e1'), nem(POISON), dead('1-0'));
    const results = runCheckers(inputOf(h, ['e1'], { expect: { ...requireDead, handling: undefined } }));
    expect(results.filter((c) => c.valid !== true).map((c) => c.name)).toEqual([]);
    const r = handlingChecker.check(inputOf(h, ['e1'], { expect: requireDead }));
    expect(r.valid).toBe(false);
    expect(r.evidence.map((e) => e.message)).toEqual(['poison-message injected "missing task data" into analyse_batch: never dead-lettered (acknowledged and dropped, or still queued)']);
  });

  it('a dead letter without a reason does not count', () => {
    const h = history(completedExperiment('e1'), nem(POISON), dead('1-0'), dead('2-0', ''));
    expect(handlingChecker.check(inputOf(h, ['e1'], { expect: requireDead })).evidence[0].message).toMatch(/dead-lettered without a reason/);
  });

  it('a lists item redelivered with its delivery count raised is the same message', () => {
    const item = JSON.stringify({ t: 'p/0/1', k: 'key', e: 'p', d: 0 });
    const rec: NemesisRecord = { ...POISON, effects: { injected: [{ what: 'missing task data', stage: 'analyse_batch', identity: messageIdentity(item) }] } };
    const h = history(completedExperiment('e1'), nem(rec), dead(JSON.stringify({ t: 'p/0/1', k: 'key', e: 'p', d: 2 })));
    expect(handlingChecker.check(inputOf(h, ['e1'], { expect: requireDead })).valid).toBe(true);
  });

  it('nothing injected: unknown (the requirement was not exercised)', () => {
    const r = handlingChecker.check(inputOf(history(completedExperiment('e1')), ['e1'], { expect: requireDead }));
    expect(r).toMatchObject({ valid: 'unknown', summary: 'not exercised: deadLettered: no fault recorded an injected message' });
  });
});

describe('handling checker: every task of a killed worker redelivered and completed', () => {
  const requireRedelivery = { ...EXPECT, handling: { redelivered: 'every-task-of-killed-worker' as const } };
  const kill = (at: number): NemesisRecord => ({ fault: 'worker-kill', spec: 0, ok: true, startedAt: at, endedAt: at + 300, effects: { killed: [{ pid: 7, at }] } });
  const T = tid('e2', 1, 0);
  const claimBy = (pid: number, ts: number) => ({ ...claim('e2', 1, 0, `w-${pid}`), pid, ts });
  const completeBy = (pid: number, ts: number) => ev('completed', { pid, ts, experimentId: 'e2', taskId: T, stageIndex: 1, index: 0, resultHash: 'h', workerId: `w-${pid}` });

  it('is valid when the held task was claimed by another worker after the kill and completed', () => {
    const h = history(claimBy(7, 5000), nem(kill(5100), 5400), claimBy(8, 6000), completeBy(8, 6100));
    expect(handlingChecker.check(inputOf(h, ['e2'], { expect: requireRedelivery }))).toMatchObject({ valid: true, summary: 'every requirement of the scenario met (1 checked)' });
  });

  it('a held task never delivered again fails, naming the task', () => {
    const h = history(claimBy(7, 5000), nem(kill(5100), 5400));
    const r = handlingChecker.check(inputOf(h, ['e2'], { expect: requireRedelivery }));
    expect(r.valid).toBe(false);
    expect(r.evidence[0]).toMatchObject({ taskId: T, message: `task ${T} (analyse_batch), held by pid 7 when it was killed, was never delivered to another worker` });
  });

  it('delivered again but never completed fails', () => {
    const h = history(claimBy(7, 5000), nem(kill(5100), 5400), claimBy(8, 6000));
    expect(handlingChecker.check(inputOf(h, ['e2'], { expect: requireRedelivery })).evidence[0].message).toMatch(/was delivered again \(seq \d+\) but never completed$/);
  });

  it('a task the killed worker had completed itself (Redis counted it, the events died with it) needs no redelivery', () => {
    const h = history(claimBy(7, 5000), nem(kill(5100), 5400));
    const input = inputOf(h, ['e2'], { expect: requireRedelivery });
    input.health = { ...input.health, experiments: [{ id: 'e2', status: 'completed', stage: 'moderation', stageIndex: 4, remaining: 0, width: 1, cause: '', counted: { 1: [0] } }] };
    expect(handlingChecker.check(input).valid).toBe(true);
  });

  it('tasks the killed worker had finished before the kill are not held', () => {
    const h = history(claimBy(7, 5000), completeBy(7, 5050), nem(kill(5100), 5400));
    expect(handlingChecker.check(inputOf(h, ['e2'], { expect: requireRedelivery })).valid).toBe(true);
  });

  it('no worker killed: unknown', () => {
    expect(handlingChecker.check(inputOf(history(completedExperiment('e1')), ['e1'], { expect: requireRedelivery })).valid).toBe('unknown');
  });
});
