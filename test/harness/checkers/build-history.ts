/**
 * Literal histories for the checker tests: `ev(type, fields)` drafts one event, `history(...)`
 * numbers them (seq in order, ts = previous + 1 ms unless given), and a few helpers write the
 * events the real orchestrator and workers emit for the reference pipeline.
 */
import type { HealthSnapshot } from '../../../harness/audit/health-types.js';
import type { CheckerExpectations, CheckerInput } from '../../../harness/checkers/types.js';
import { KIND_OF, type History, type HistoryEvent } from '../../../harness/history/types.js';

export const STAGES = ['pre_test', 'analyse_batch', 'corpus_synthesis', 'review', 'moderation'] as const;
export const EXPECT: CheckerExpectations = {
  stages: STAGES,
  fanInStages: ['corpus_synthesis', 'moderation'],
  deadLetterExpected: false,
};

export type Draft = Partial<Omit<HistoryEvent, 'seq' | 'kind'>> & { type: HistoryEvent['type'] };

/** One event; seq, kind and (unless given) ts, pid and component are filled in by `history`. */
export function ev(type: HistoryEvent['type'], fields: Partial<Omit<HistoryEvent, 'seq' | 'kind' | 'type'>> = {}): Draft {
  return { type, ...fields };
}

function defaultComponent(d: Draft): HistoryEvent['component'] {
  if (d.type === 'experiment-timed-out' || d.type === 'nemesis') return 'harness';
  if (d.type === 'submitted' || (d.type === 'enqueued' && !d.workerId)) return 'orchestrator';
  return 'worker';
}

/** A draft stamped like the core's stage advance: at the commit time of the experiment's last finish. */
type Stamped = Draft & { stampAtLastFinish?: boolean };

/**
 * Numbers the drafts in order: seq 0.., ts 1000, 1001, ... (a given ts moves the clock). Drafts
 * made by `advance` carry the time of the experiment's latest completion or dead letter, as
 * the core stamps a stage advance with the Redis TIME of the fan-in that caused it.
 */
export function history(...items: (Draft | Draft[])[]): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  const lastFinish = new Map<string, number>();
  let ts = 999;
  for (const item of items.flat() as Stamped[]) {
    const { stampAtLastFinish, ...d } = item;
    let at: number;
    const stamp = stampAtLastFinish && d.ts === undefined ? lastFinish.get(d.experimentId ?? '') : undefined;
    if (stamp !== undefined) at = stamp;
    else at = ts = d.ts ?? ts + 1;
    if ((d.type === 'completed' || d.type === 'dead-lettered') && d.experimentId) lastFinish.set(d.experimentId, at);
    out.push({ pid: 1, component: defaultComponent(d), ...d, ts: at, seq: out.length, kind: KIND_OF[d.type] });
  }
  return out;
}

export const tid = (exp: string, si: number, i: number) => `${exp}/${si}/${i}`;
export const hashOf = (exp: string, si: number, i: number) => `h-${exp}-${si}-${i}`;

/** submitted + the stage-0 enqueues, as the orchestrator emits them. */
export function submit(exp: string, width = 1): Draft[] {
  const out = [ev('submitted', { experimentId: exp, width: STAGES.length })];
  for (let i = 0; i < width; i++) out.push(ev('enqueued', { experimentId: exp, stageIndex: 0, stage: STAGES[0], index: i, taskId: tid(exp, 0, i) }));
  return out;
}

/** claimed (by `worker`), counted completed, acked. */
export function claim(exp: string, si: number, i: number, worker = `w-${STAGES[si]}`): Draft {
  return ev('claimed', { experimentId: exp, stage: STAGES[si], workerId: worker, taskId: tid(exp, si, i), messageId: `m-${si}-${i}`, deliveries: 1 });
}
export function complete(exp: string, si: number, i: number, worker = `w-${STAGES[si]}`, hash = hashOf(exp, si, i)): Draft {
  return ev('completed', { experimentId: exp, stage: STAGES[si], workerId: worker, taskId: tid(exp, si, i), index: i, stageIndex: si, resultHash: hash, attempt: 1 });
}
export function ack(exp: string, si: number, i: number, worker = `w-${STAGES[si]}`): Draft {
  return ev('acked', { experimentId: exp, stage: STAGES[si], workerId: worker, taskId: tid(exp, si, i) });
}
export function runTask(exp: string, si: number, i: number, worker?: string): Draft[] {
  return [claim(exp, si, i, worker), complete(exp, si, i, worker), ack(exp, si, i, worker)];
}

/** stage-advanced into stage `to` + its enqueues, emitted by a worker of stage `to - 1` at its last finish's commit time. */
export function advance(exp: string, to: number, width: number): Draft[] {
  const worker = `w-${STAGES[to - 1]}`;
  const out: Stamped[] = [{ ...ev('stage-advanced', { experimentId: exp, stage: STAGES[to - 1], workerId: worker, stageIndex: to, width, cause: `${STAGES[to - 1]} → ${STAGES[to]}` }), stampAtLastFinish: true }];
  for (let i = 0; i < width; i++) out.push({ ...ev('enqueued', { experimentId: exp, stage: STAGES[to - 1], workerId: worker, stageIndex: to, index: i, taskId: tid(exp, to, i) }), stampAtLastFinish: true });
  return out;
}

export function runStage(exp: string, si: number, width: number): Draft[] {
  const out: Draft[] = [];
  for (let i = 0; i < width; i++) out.push(...runTask(exp, si, i));
  return out;
}

/** The whole reference pipeline of one experiment, ending experiment-completed. */
export function completedExperiment(exp: string, analyse = 5): Draft[] {
  return [
    ...submit(exp),
    ...runStage(exp, 0, 1), ...advance(exp, 1, analyse),
    ...runStage(exp, 1, analyse), ...advance(exp, 2, 1),
    ...runStage(exp, 2, 1), ...advance(exp, 3, 2),
    ...runStage(exp, 3, 2), ...advance(exp, 4, 1),
    ...runStage(exp, 4, 1),
    ev('experiment-completed', { experimentId: exp, stage: 'moderation', workerId: 'w-moderation' }),
  ];
}

/** The post-mortem bug: pre_test done, 5 analyse tasks done, no corpus_synthesis, the wait gives up. */
export function noFanInExperiment(exp: string): Draft[] {
  return [
    ...submit(exp),
    ...runStage(exp, 0, 1), ...advance(exp, 1, 5),
    ...runStage(exp, 1, 5),
    ev('experiment-timed-out', { experimentId: exp }),
  ];
}

/** A clean post-run snapshot consistent with `h`: every artifact verified, every result valid. */
export function healthySnapshot(h: History = [], experiments: readonly string[] = []): HealthSnapshot {
  const artifacts: HealthSnapshot['artifacts'] = [];
  const finalHash = new Map<string, string>();
  const status = new Map<string, 'completed' | 'failed'>();
  for (const e of h) {
    if (e.type === 'completed' && e.experimentId && e.resultHash) {
      artifacts.push({ experimentId: e.experimentId, hash: e.resultHash, stage: e.stage, taskId: e.taskId, resolved: true, matches: true });
      if (e.stageIndex === STAGES.length - 1 && !finalHash.has(e.experimentId)) finalHash.set(e.experimentId, e.resultHash);
    }
    if (e.type === 'experiment-completed' && e.experimentId) status.set(e.experimentId, 'completed');
    if (e.type === 'experiment-failed' && e.experimentId && !status.has(e.experimentId)) status.set(e.experimentId, 'failed');
  }
  const results: HealthSnapshot['results'] = [];
  for (const [id, s] of status) {
    if (s === 'completed') results.push({ experimentId: id, resultHash: finalHash.get(id) ?? '', resolved: true, matches: true, schemaValid: true, schemaErrors: [] });
  }
  return {
    takenAt: 2_000_000,
    transport: 'streams',
    prefix: 'fanin-test',
    groups: STAGES.map((s) => ({ stream: `fanin-test:{fanin-test:0}:q:${s}`, group: 'fanin', pending: 0, lag: 0, consumers: [{ name: `w-${s}`, pending: 0, idleMs: 5 }] })),
    queues: [],
    processingLists: [],
    delayed: [],
    deadLetters: [],
    taskKeys: { total: 0, withoutTtl: [] },
    wrongTypes: [],
    keyCount: 12,
    experiments: experiments.map((id) => ({
      id, status: status.get(id) ?? 'running', stage: 'moderation', stageIndex: 4, remaining: 0, width: 1, cause: '',
    })),
    artifacts,
    results,
  };
}

/** A checker input; health defaults to the healthy snapshot of the history. */
export function inputOf(h: History, experiments: readonly string[], over: Partial<CheckerInput> = {}): CheckerInput {
  return { history: h, health: healthySnapshot(h, experiments), expect: EXPECT, experiments, ...over };
}
