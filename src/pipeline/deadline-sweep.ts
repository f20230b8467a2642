/**
 * One pass over the stage deadlines of every shard (expire-experiment.lua for each experiment
 * past its current stage's deadline). Run by the supervising orchestrator and by every worker's
 * maintenance, so an experiment always ends even when no orchestrator process runs; the script
 * makes concurrent sweeps idempotent. Under a stage's `continue` policy the stragglers are
 * dead-lettered and the stage fans in without them; under `fail` the experiment fails.
 */
import type { EventSink, LifecycleEvent } from '../events.js';
import { redisTimeMs } from '../events.js';
import type { Runtime } from '../runtime.js';
import { nextStageKeys, taskId } from '../worker/task-data.js';
import type { CompactSpec } from './spec.js';

/** expire-experiment's answer: outcome, skipped indexes (comma-separated), Redis TIME. */
type Answer = [string, string, string, string];

type Emit = (e: Omit<LifecycleEvent, 'pid' | 'component'>) => void;

const ENDED = new Set(['expired', 'advanced', 'completed', 'failed']);

/**
 * Returns the ids of the experiments whose overdue stage it ended (failed, skipped or fanned
 * in). `at` defaults to Redis's own clock (TIME), so a component whose clock runs ahead cannot
 * expire stages early. An experiment that cannot be swept (a corrupt state) goes to `onError`
 * and the sweep goes on with the others.
 */
export async function sweepDeadlines(
  runtime: Runtime, at: number | undefined, deadLetterMaxLen: number, emit?: Emit, onError?: (err: unknown) => void,
): Promise<string[]> {
  const { keys, redis } = runtime;
  if (at === undefined) {
    const [sec, usec] = await redis.time();
    at = redisTimeMs(sec, usec);
  }
  const ended: string[] = [];
  for (const shard of keys.shardIds()) {
    const due = await redis.zrangebyscore(keys.deadlines(shard), '-inf', at, 'LIMIT', 0, 200);
    for (const id of due) {
      try {
        // the stage may move on between the read and the script ('moved'): read again, twice at most
        for (let attempt = 0; attempt < 3; attempt++) {
          const r = await expireOne(runtime, shard, id, at, deadLetterMaxLen, emit);
          if (r === 'moved') continue;
          if (ENDED.has(r)) ended.push(id);
          break;
        }
      } catch (err) {
        if (!onError) throw err;
        onError(err);
      }
    }
  }
  return ended;
}

async function expireOne(runtime: Runtime, shard: number, id: string, at: number, maxLen: number, emit?: Emit): Promise<string> {
  const { keys, redis, transport } = runtime;
  const [stageRaw, specRaw] = await redis.hmget(keys.experiment(id), 'stage', 'spec');
  const si = Number(stageRaw ?? 0);
  const spec = specRaw ? (JSON.parse(specRaw) as CompactSpec) : undefined;
  const st = spec?.stages[si];
  const next = spec?.stages[si + 1];
  // the next stage's keys, for a fan-in without the stragglers (static widths only: a dynamic
  // width needs the fanOut of a handler, so that fan-in fails with the cause)
  const nextWidth = st?.p === 'continue' && next && next.w > 0 ? next.w : 0;
  const task = { exp: id, si, stage: st?.n ?? '', ns: next?.n ?? '' };
  // (no spec: the script only removes the deadline; untouched stand-ins of the same slot)
  const tail = st ? nextStageKeys(keys, shard, task, nextWidth) : [keys.deadlines(shard), keys.deadlines(shard)];
  const [outcome, skippedCsv, sec, usec] = await runtime.commit<Answer>(
    'expire-experiment',
    [keys.experiment(id), keys.deadlines(shard), keys.done(id), keys.stageResults(id, si), keys.deadLetter(shard), keys.ended(shard), ...tail],
    [transport.luaMode, id, at, si, maxLen],
  );
  if (emit && st) emitOutcome(emit, id, si, st.n, next?.n, nextWidth, outcome, skippedCsv, redisTimeMs(sec, usec));
  return outcome;
}

function emitOutcome(emit: Emit, id: string, si: number, stage: string, nextStage: string | undefined, nextWidth: number, outcome: string, skippedCsv: string, ts: number): void {
  for (const i of skippedCsv === '' ? [] : skippedCsv.split(',').map(Number)) {
    emit({ type: 'dead-lettered', ts, experimentId: id, stage, stageIndex: si, index: i, taskId: taskId(id, si, i), cause: 'stage deadline passed' });
  }
  if (outcome === 'expired') emit({ type: 'experiment-failed', ts, experimentId: id, stage, cause: `stage ${stage} timed out` });
  else if (outcome === 'failed') emit({ type: 'experiment-failed', ts, experimentId: id, stage, cause: `fan-in of ${stage} at its deadline failed` });
  else if (outcome === 'completed') emit({ type: 'experiment-completed', ts, experimentId: id, stage });
  else if (outcome === 'advanced') {
    emit({ type: 'stage-advanced', ts, experimentId: id, stage, stageIndex: si + 1, width: nextWidth, cause: `${stage} → ${nextStage} at its deadline` });
    for (let i = 0; i < nextWidth; i++) emit({ type: 'enqueued', ts, experimentId: id, stage: nextStage, stageIndex: si + 1, index: i, taskId: taskId(id, si + 1, i) });
  }
}

/** An emitter for a component that has a sink (or none). */
export function sinkEmitter(sink: EventSink | undefined, component: LifecycleEvent['component'], extra: Partial<LifecycleEvent> = {}): Emit | undefined {
  if (!sink) return undefined;
  return (e) => sink({ pid: process.pid, component, ...extra, ...e } as LifecycleEvent);
}
