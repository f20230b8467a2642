/**
 * Loads and checks what a delivery names: its task data and input artifacts in one round trip
 * (load-task.lua). A reason comes back instead when the message is poison: task data missing
 * or expired, malformed, of another stage, or of another task.
 */
import type { Redis } from 'ioredis';
import { describeError } from '../errors.js';
import type { Keyspace } from '../keys.js';
import { runScript } from '../lua/scripts.js';
import type { TaskMessage } from '../transport/transport.js';
import { taskDataSchema, type TaskData } from './task-data.js';

export type LoadedTask = { ok: true; task: TaskData; inputs: (string | null)[] } | { ok: false; reason: string };

export async function loadTask(redis: Redis, keys: Keyspace, msg: TaskMessage, stage: string): Promise<LoadedTask> {
  const loaded = await runScript<(string | null)[] | null>(redis, 'load-task', [msg.taskKey], [keys.artifactPrefix(msg.experimentId)]);
  if (!loaded) return { ok: false, reason: `task data missing or expired (${msg.taskKey})` };
  const [raw, ...inputs] = loaded as [string, ...(string | null)[]];
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
  return { ok: true, task, inputs };
}
