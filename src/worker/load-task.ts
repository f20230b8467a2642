/**
 * Loads and checks what a delivery names: its task data, whether it should still run
 * (load-task.lua, one round trip, which also reads up to a chunk of inputs), else its input
 * artifacts in chunks (HMGET of the experiment's artifacts hash, key built by keys.ts). A reason comes back instead when the delivery cannot run: task data missing,
 * malformed, of another stage or of another task, or an input artifact missing. When the
 * message's ids are valid and its key is the one they derive, the failure names the task
 * (`named`), so the worker can count it as that task's failure. A task that must not run —
 * its result is already recorded (a duplicate delivery), its experiment ended, or its stage
 * finished without it — comes back as `skip`, so the worker acknowledges it without running
 * the agent.
 */
import type { Redis } from 'ioredis';
import { describeError } from '../errors.js';
import type { Keyspace } from '../keys.js';
import { loadTaskBatched } from './load-batch.js';
import type { TaskMessage } from '../transport/transport.js';
import { EXPERIMENT_ID_RE, parseTaskData, parseTaskId, type TaskData } from './task-data.js';

/** A task a message validly names: its ids are well-formed and its key is theirs. */
export interface NamedTask {
  experimentId: string;
  taskId: string;
  stageIndex: number;
  index: number;
}

export type LoadedTask =
  | { ok: true; task: TaskData; inputs: (string | null)[] }
  | { ok: true; task: TaskData; skip: 'duplicate' | 'cancelled'; cause: string }
  | { ok: false; reason: string; named?: NamedTask };

/** Input artifacts read per HMGET unless the worker says otherwise. */
export const DEFAULT_INPUT_CHUNK = 1000;
/** The most inputs load-task.lua reads with the task data (more are read in chunks). */
const INLINE_INPUTS_MAX = 1000;

/**
 * The task a message names, or a reason to refuse it unread. Ids are checked, and the task key
 * derived from them, before anything is read: no message makes the worker touch a key outside
 * its prefix.
 */
export function nameTask(keys: Keyspace, msg: TaskMessage): NamedTask | { reason: string } {
  const named = parseTaskId(msg.taskId);
  if (!named || named.experimentId !== msg.experimentId || !EXPERIMENT_ID_RE.test(msg.experimentId)) {
    return { reason: `malformed task id ${JSON.stringify(msg.taskId)} for experiment ${JSON.stringify(msg.experimentId)}` };
  }
  const taskKey = keys.task(msg.experimentId, msg.taskId);
  if (msg.taskKey !== taskKey) {
    return { reason: `task key ${JSON.stringify(msg.taskKey)} does not match task ${msg.taskId} (expected ${taskKey}): refused unread` };
  }
  return { experimentId: msg.experimentId, taskId: msg.taskId, stageIndex: named.stageIndex, index: named.index };
}

export async function loadTask(redis: Redis, keys: Keyspace, msg: TaskMessage, stage: string, chunk = DEFAULT_INPUT_CHUNK): Promise<LoadedTask> {
  const named = nameTask(keys, msg);
  if ('reason' in named) return { ok: false, reason: named.reason };
  const exp = named.experimentId;
  const loaded = await loadTaskBatched(
    redis, keys.shardOf(exp),
    [msg.taskKey, keys.experiment(exp), keys.stageResults(exp, named.stageIndex), keys.artifacts(exp)],
    named.index, Math.min(chunk, INLINE_INPUTS_MAX),
  );
  if (!loaded) return { ok: false, reason: `task data missing or expired (${msg.taskKey})`, named };
  const [raw, status, current, recorded, listedAt, ...read] = loaded;
  let task: TaskData;
  try {
    task = parseTaskData(JSON.parse(raw));
  } catch (err) {
    return { ok: false, reason: `malformed task data at ${msg.taskKey}: ${describeError(err)}`, named };
  }
  if (task.stage !== stage) return { ok: false, reason: `unknown stage "${task.stage}" for a worker of "${stage}"`, named };
  if (task.id !== msg.taskId || task.exp !== exp) {
    return { ok: false, reason: `message names task ${msg.taskId} of ${exp} but its data is task ${task.id} of ${task.exp}`, named };
  }
  if (!status) return { ok: false, reason: `experiment ${task.exp} of task ${task.id} does not exist (expired or never submitted)` };
  if (recorded !== '' && !recorded.startsWith('!')) return { ok: true, task, skip: 'duplicate', cause: 'result already recorded' };
  if (recorded !== '') return { ok: true, task, skip: 'cancelled', cause: `task was skipped: ${recorded.slice(1)}` };
  if (status !== 'running') return { ok: true, task, skip: 'cancelled', cause: `experiment ${status}` };
  if (Number(current) !== task.si) return { ok: true, task, skip: 'cancelled', cause: `stage ${task.stage} finished without it` };
  const inputs = readInline(raw, task.in, listedAt, read) ?? (await loadInputs(redis, keys, exp, task.in, chunk));
  const lost = inputs.indexOf(null);
  if (lost >= 0) return { ok: false, reason: `input artifact ${task.in[lost]} of task ${task.id} is missing`, named };
  return { ok: true, task, inputs };
}

const HEX_RE = /^[0-9a-f]+$/;

/**
 * The inputs load-task.lua read with the task data, when they are the very ones this parse
 * found: the list the script read (at `listedAt`, 1-based) is exactly `"in":<these hashes>`, and
 * every hash is hex (so the script's tokens are these hashes, in order). Otherwise undefined.
 */
function readInline(raw: string, hashes: readonly string[], listedAt: number | undefined, read: (string | null)[]): (string | null)[] | undefined {
  if (typeof listedAt !== 'number' || read.length !== hashes.length || !hashes.every((h) => HEX_RE.test(h))) return undefined;
  return raw.startsWith(`"in":${JSON.stringify(hashes)}`, listedAt - 1) ? read : undefined;
}

/** Reads artifacts `chunk` at a time from the experiment's artifacts hash, in order (null for a missing one). */
export async function loadInputs(redis: Redis, keys: Keyspace, experimentId: string, hashes: readonly string[], chunk: number): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  const key = keys.artifacts(experimentId);
  for (let from = 0; from < hashes.length; from += chunk) out.push(...(await redis.hmget(key, ...hashes.slice(from, from + chunk))));
  return out;
}
