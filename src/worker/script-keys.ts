/**
 * The KEYS of the fan-in scripts (complete-task.lua, fail-task.lua), in the order their
 * headers document, built in one place for the worker and for every variant of it.
 */
import type { Keyspace } from '../keys.js';
import { nextStageKeys, type TaskData } from './task-data.js';

type Task = Pick<TaskData, 'exp' | 'id' | 'si' | 'stage' | 'ns'>;

/** complete-task.lua's KEYS; `ackKey` is the transport's (stream or processing list; '' when none). */
export function completeTaskKeys(keys: Keyspace, shard: number, ackKey: string, task: Task, nextWidth: number): string[] {
  const exp = task.exp;
  return [
    keys.experiment(exp), keys.stageResults(exp, task.si), keys.artifacts(exp), ackKey, keys.queueIndex(shard, task.stage),
    keys.deadlines(shard), keys.done(exp), keys.ended(shard), ...nextStageKeys(keys, shard, task, nextWidth),
  ];
}

/** fail-task.lua's KEYS. */
export function failTaskKeys(keys: Keyspace, shard: number, ackKey: string, task: Task, nextWidth: number): string[] {
  const exp = task.exp;
  return [
    keys.experiment(exp), keys.stageResults(exp, task.si), keys.task(exp, task.id), ackKey, keys.queueIndex(shard, task.stage),
    keys.deadlines(shard), keys.done(exp), keys.delayed(shard, task.stage), keys.deadLetter(shard), keys.ended(shard),
    ...nextStageKeys(keys, shard, task, nextWidth),
  ];
}
