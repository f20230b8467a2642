/**
 * `fanin agent --serve` (docs/conformance.md, section 8): the conformance helper for a system in
 * any language, as newline-delimited JSON. One request per line — a task attempt, or a
 * `{"dead":{…}}` record — and one reply per request, in request order (requests run
 * concurrently; replies wait for the ones before them). Blank lines are skipped; any other line
 * that is not a valid request gets `{"error":…,"retryable":false}` and the server goes on. An
 * `exit` directive is replied `{"exit":1}`: the calling worker exits, this server keeps serving.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { isRetryable } from '../../src/index.js';
import { ConformTask } from './conform-task.js';

export interface AgentServeOptions {
  input: Readable;
  output: Writable;
  /** the ledger Redis client (left open) */
  ledger: Redis;
  runId: string;
  /** the default `worker` of the records (FANIN_WORKER_ID) */
  worker: string;
}

const task = {
  stage: z.string(),
  index: z.number().int(),
  attempt: z.number().int(),
  worker: z.string().min(1).optional(),
};

const taskRequest = z.object({ experiment: z.unknown(), ...task, inputs: z.array(z.string()) }).strict();
const deadRequest = z.object({
  dead: z.object({ experiment: z.unknown(), ...task, reason: z.string() }).strict(),
}).strict();

export type AgentReply = { output: string } | { error: string; retryable: boolean } | { exit: number } | { ok: true };

function problem(err: z.ZodError, kind: string): string {
  const i = err.issues[0]!;
  return `invalid ${kind} request: ${i.path.join('.') || '(line)'}: ${i.message}`;
}

/** The reply to one line (never rejects). */
export async function answer(line: string, helper: ConformTask): Promise<AgentReply> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { error: `not JSON: ${(err as Error).message}`, retryable: false };
  }
  const isDead = typeof value === 'object' && value !== null && 'dead' in value;
  const r = isDead ? deadRequest.safeParse(value) : taskRequest.safeParse(value);
  if (!r.success) return { error: problem(r.error, isDead ? 'dead' : 'task'), retryable: false };
  try {
    if ('dead' in r.data) {
      const d = r.data.dead;
      await helper.dead(d.experiment, d.stage, d.index, d.attempt, d.reason, d.worker);
      return { ok: true };
    }
    const t = r.data;
    return await helper.execute(t.experiment, t.stage, t.index, t.attempt, t.inputs, t.worker);
  } catch (err) {
    // a directed failure or a refused input says whether to retry; a ledger outage is retryable.
    // The message is the one the end record's `error` holds.
    return { error: err instanceof Error ? err.message : String(err), retryable: isRetryable(err) };
  }
}

/** Serves until `input` ends; resolves once every reply is written. */
export async function serveAgent(o: AgentServeOptions): Promise<void> {
  const helper = new ConformTask({ ledger: o.ledger, runId: o.runId, worker: o.worker });
  let tail: Promise<void> = Promise.resolve();
  const write = (reply: AgentReply) => new Promise<void>((resolve) => o.output.write(`${JSON.stringify(reply)}\n`, () => resolve()));
  const lines = createInterface({ input: o.input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const reply = answer(line, helper);
    tail = tail.then(async () => write(await reply));
  }
  await tail;
}
