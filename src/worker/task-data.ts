/**
 * Task data as stored (JSON string with a TTL, written by the submit and fan-in scripts
 * before the task is enqueued). Field names are short because every task carries them.
 */
import { z } from 'zod';
import type { Keyspace } from '../keys.js';

export const taskDataSchema = z.object({
  id: z.string(),
  exp: z.string(),
  stage: z.string(),
  /** stage index */
  si: z.number().int().min(0),
  /** task index within the stage */
  i: z.number().int().min(0),
  /** stage width */
  w: z.number().int().min(1),
  /** input hashes (previous stage's successful results, by index; or the experiment input) */
  in: z.array(z.string()),
  /** indexes of previous-stage tasks skipped under a 'continue' policy */
  miss: z.array(z.number().int()),
  /** previous stage width */
  ex: z.number().int().min(0),
  /** attempt (1-based) */
  a: z.number().int().min(1),
  /** max attempts */
  ma: z.number().int().min(1),
  /** stage deadline (epoch ms) */
  dl: z.number(),
  /** experiment params */
  p: z.record(z.unknown()),
  /** next stage name ('' when this is the last stage) */
  ns: z.string(),
  /** next stage width; -1 when the handler decides (fanOut) */
  nw: z.number().int(),
  /** per-attempt timeout (ms, 0: none) */
  to: z.number().int().min(0).default(0),
});

export type TaskData = z.infer<typeof taskDataSchema>;

const isInt = (v: unknown, min: number): boolean => Number.isInteger(v) && (v as number) >= min;
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * Task data from its JSON, checked. Every delivery runs this, so the common case is checked by
 * hand; anything unusual goes through the schema, whose error names what is wrong.
 */
export function parseTaskData(json: unknown): TaskData {
  const t = json as Record<string, unknown> | null;
  const ok = typeof t === 'object' && t !== null && !Array.isArray(t)
    && typeof t.id === 'string' && typeof t.exp === 'string' && typeof t.stage === 'string'
    && isInt(t.si, 0) && isInt(t.i, 0) && isInt(t.w, 1) && isStrings(t.in)
    && Array.isArray(t.miss) && t.miss.every((x) => Number.isInteger(x)) && isInt(t.ex, 0) && isInt(t.a, 1) && isInt(t.ma, 1)
    && typeof t.dl === 'number' && Number.isFinite(t.dl) && typeof t.p === 'object' && t.p !== null && !Array.isArray(t.p)
    && typeof t.ns === 'string' && isInt(t.nw, -Infinity) && (t.to === undefined || isInt(t.to, 0));
  if (!ok) return taskDataSchema.parse(json);
  return (t.to === undefined ? { ...t, to: 0 } : t) as TaskData;
}

/** The task id format; mirrored by `fanin_start_stage` in lua/includes/experiment.lua. */
export function taskId(experimentId: string, stageIndex: number, index: number): string {
  return `${experimentId}/${stageIndex}/${index}`;
}

/**
 * KEYS the fan-in scripts take for the stage after `task`: its queue, that queue's index, then
 * the task-data keys of its `nextWidth` tasks (used only by the completion that advances the
 * stage). For the last stage, the task's own queue stands in (no next stage is created).
 */
export function nextStageKeys(keys: Keyspace, shard: number, task: Pick<TaskData, 'ns' | 'stage' | 'exp' | 'si'>, nextWidth: number): string[] {
  if (task.ns === '') return [keys.queue(shard, task.stage), keys.queueIndex(shard, task.stage)];
  const out = [keys.queue(shard, task.ns), keys.queueIndex(shard, task.ns)];
  for (let i = 0; i < nextWidth; i++) out.push(keys.task(task.exp, taskId(task.exp, task.si + 1, i)));
  return out;
}

/** What an experiment id may be (submit refuses others; a message naming another is forged). */
export const EXPERIMENT_ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;

/** A task id's parts (`<experiment>/<stage index>/<task index>`), or null when it is not one. */
export function parseTaskId(id: string): { experimentId: string; stageIndex: number; index: number } | null {
  const m = /^([A-Za-z0-9_.:-]{1,128})\/(\d{1,4})\/(\d{1,6})$/.exec(id);
  if (!m) return null;
  return { experimentId: m[1], stageIndex: Number(m[2]), index: Number(m[3]) };
}
