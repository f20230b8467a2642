/**
 * Loads and checks what a delivery names, in one round trip (load-task.lua): its task data,
 * whether it should still run, and its input artifacts. A reason comes back instead when the
 * message is poison: task data missing or expired, malformed, of another stage, or of another
 * task. A task that must not run — its result is already recorded (a duplicate delivery), its
 * experiment ended, or its stage finished without it — comes back as `skip`, so the worker
 * acknowledges it without running the agent.
 */
import type { Redis } from 'ioredis';
import { describeError } from '../errors.js';
import type { Keyspace } from '../keys.js';
import { runScript } from '../lua/scripts.js';
import type { TaskMessage } from '../transport/transport.js';
import { EXPERIMENT_ID_RE, parseTaskId, taskDataSchema, type TaskData } from './task-data.js';

export type LoadedTask =
  | { ok: true; task: TaskData; inputs: (string | null)[] }
  | { ok: true; task: TaskData; skip: 'duplicate' | 'cancelled'; cause: string }
  | { ok: false; reason: string };

export async function loadTask(redis: Redis, keys: Keyspace, msg: TaskMessage, stage: string): Promise<LoadedTask> {
  // Ids are checked, and the task key derived from them, before anything is read: a message
  // can never make the worker read or write a key outside its prefix.
  const named = parseTaskId(msg.taskId);
  if (!named || named.experimentId !== msg.experimentId || !EXPERIMENT_ID_RE.test(msg.experimentId)) {
    return { ok: false, reason: `malformed task id ${JSON.stringify(msg.taskId)} for experiment ${JSON.stringify(msg.experimentId)}` };
  }
  const taskKey = keys.task(msg.experimentId, msg.taskId);
  if (msg.taskKey !== taskKey) {
    return { ok: false, reason: `task key ${JSON.stringify(msg.taskKey)} does not match task ${msg.taskId} (expected ${taskKey}): refused unread` };
  }
  const loaded = await runScript<(string | null)[] | null>(
    redis, 'load-task',
    [msg.taskKey, keys.experiment(msg.experimentId), keys.stageResults(msg.experimentId, named.stageIndex)],
    [keys.artifactPrefix(msg.experimentId), named.index],
  );
  if (!loaded) return { ok: false, reason: `task data missing or expired (${msg.taskKey})` };
  const [raw, status, current, recorded, ...inputs] = loaded as [string, string | null, string | null, string, ...(string | null)[]];
  let task: TaskData;
  try {
    task = taskDataSchema.parse(JSON.parse(raw));
  } catch (err) {
    return { ok: false, reason: `malformed task data at ${msg.taskKey}: ${describeError(err)}` };
  }
  if (task.stage !== stage) return { ok: false, reason: `unknown stage "${task.stage}" for a worker of "${stage}"` };
  if (task.id !== msg.taskId || task.exp !== msg.experimentId) {
    return { ok: false, reason: `message names task ${msg.taskId} of ${msg.experimentId} but its data is task ${task.id} of ${task.exp}` };
  }
  if (!status) return { ok: false, reason: `experiment ${task.exp} of task ${task.id} does not exist (expired or never submitted)` };
  if (recorded !== '' && !recorded.startsWith('!')) return { ok: true, task, skip: 'duplicate', cause: 'result already recorded' };
  if (recorded !== '') return { ok: true, task, skip: 'cancelled', cause: `task was skipped: ${recorded.slice(1)}` };
  if (status !== 'running') return { ok: true, task, skip: 'cancelled', cause: `experiment ${status}` };
  if (Number(current) !== task.si) return { ok: true, task, skip: 'cancelled', cause: `stage ${task.stage} finished without it` };
  return { ok: true, task, inputs };
}
