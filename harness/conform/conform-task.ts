/**
 * The TypeScript conformance helper (docs/conformance.md, section 7): a worker calls
 * `conformTaskFromEnv().run(...)` for every task execution. It writes the ledger's start record
 * (XADD to `fanin:ledger:<run id>` on the ledger Redis), applies the input's directives
 * (fail/reject: end record ok=0 and a `ConformTaskFailed`; exit: the process exits with no end
 * record; sleep), computes the task's output, writes the end record (ok=1) and returns it.
 * `dead(...)` records that the system gave up on a task. The records' fields are those of the
 * Python helper (conform/python/fanin_conform.py), in the same order.
 */
import { Redis } from 'ioredis';
import { z } from 'zod';
import { conformanceLedgerKey, tlsOptionsFor } from '../../src/index.js';
import { ConformEnvError, ConformInputError, ConformTaskFailed } from './conform-errors.js';
import { directedAction, experimentInputSchema, STAGE_NAMES, taskOutput, type ExperimentInput } from './workload.js';

export interface ConformTaskOptions {
  /** the ledger Redis: a client (left open by close()) or a URL (its client closed by close()) */
  ledger: Redis | string;
  runId: string;
  /** FANIN_WORKER_ID of the process writing the records */
  worker: string;
  /** how an `exit` directive ends the process (default process.exit) */
  exit?: (code: number) => never;
}

/** What one attempt came to: its output, or an `exit` directive (the caller must exit with `code`). */
export type TaskOutcome = { output: string } | { exit: number };

const coordinates = z.object({
  stage: z.enum(STAGE_NAMES as [string, ...string[]]),
  index: z.number().int().min(0),
  attempt: z.number().int().min(1),
  inputs: z.array(z.string()),
});

/** The experiment input, parsed (a JSON string or a value); invalid → ConformInputError. */
export function parseExperimentInput(input: unknown): ExperimentInput {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (cause) {
      throw new ConformInputError(`experiment input is not JSON: ${(cause as Error).message}`, {}, { cause });
    }
  }
  const r = experimentInputSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ConformInputError(`experiment input is not a fanin-conformance/1 input: ${issue.path.join('.') || '(input)'}: ${issue.message}`, { issues: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
  }
  return r.data;
}

function checkCoordinates(stage: string, index: number, attempt: number, inputs: readonly string[]): void {
  const r = coordinates.safeParse({ stage, index, attempt, inputs });
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ConformInputError(`invalid task: ${issue.path.join('.')}: ${issue.message}`, { stage, index, attempt });
  }
}

/** The `experiment` of an input (or the name itself), checked only for being a usable name. */
export function experimentName(experimentInput: unknown): string {
  const name = typeof experimentInput === 'string' ? experimentInput
    : typeof experimentInput === 'object' && experimentInput !== null ? (experimentInput as { experiment?: unknown }).experiment : undefined;
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
    throw new ConformInputError('a dead record needs the experiment input (with its `experiment` string) or the experiment name', {});
  }
  return name;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ConformTask {
  readonly key: string;
  readonly worker: string;
  private readonly redis: Redis;
  private readonly ownsClient: boolean;
  private readonly exitProcess: (code: number) => never;

  constructor(o: ConformTaskOptions) {
    this.ownsClient = typeof o.ledger === 'string';
    this.redis = typeof o.ledger === 'string' ? new Redis(o.ledger, { lazyConnect: false, maxRetriesPerRequest: 20, tls: tlsOptionsFor(o.ledger) }) : o.ledger;
    this.key = conformanceLedgerKey(o.runId);
    this.worker = o.worker;
    this.exitProcess = o.exit ?? ((code) => process.exit(code));
  }

  /** Appends one ledger record: type, experiment, stage, index, attempt, worker, ts, then `extra`. */
  async append(type: 'start' | 'end' | 'dead', experiment: string, stage: string, index: number, attempt: number, extra: Record<string, string> = {}, worker = this.worker): Promise<void> {
    const fields: string[] = ['type', type, 'experiment', experiment, 'stage', stage, 'index', String(index), 'attempt', String(attempt), 'worker', worker, 'ts', String(Date.now())];
    for (const [k, v] of Object.entries(extra)) fields.push(k, v);
    await this.redis.xadd(this.key, '*', ...fields);
  }

  /**
   * One task attempt without leaving the process: the output, `{ exit }` for an `exit`
   * directive (start record written, no end record), or a ConformTaskFailed (end record ok=0).
   */
  async execute(experimentInput: unknown, stage: string, index: number, attempt: number, inputs: readonly string[], worker = this.worker): Promise<TaskOutcome> {
    const input = parseExperimentInput(experimentInput);
    checkCoordinates(stage, index, attempt, inputs);
    const experiment = input.experiment;
    await this.append('start', experiment, stage, index, attempt, {}, worker);
    const action = directedAction(input.directives, stage, index, attempt);
    if (action.kind === 'exit') return { exit: action.code };
    if (action.kind === 'fail') {
      await this.append('end', experiment, stage, index, attempt, { ok: '0', error: action.message }, worker);
      throw new ConformTaskFailed(action.message, action.retryable, { experiment, stage, index, attempt });
    }
    if (action.sleepMs > 0) await sleep(action.sleepMs);
    const output = taskOutput(experiment, stage, index, inputs);
    await this.append('end', experiment, stage, index, attempt, { ok: '1', output }, worker);
    return { output };
  }

  /** One task attempt: its output; throws ConformTaskFailed; an `exit` directive exits the process. */
  async run(experimentInput: unknown, stage: string, index: number, attempt: number, inputs: readonly string[]): Promise<string> {
    const outcome = await this.execute(experimentInput, stage, index, attempt, inputs);
    if ('exit' in outcome) {
      // the start record is written (awaited above); flush what the process printed, then go
      await new Promise<void>((r) => process.stdout.write('', () => r()));
      return this.exitProcess(outcome.exit);
    }
    return outcome.output;
  }

  /**
   * Records that the system gave up on a task (retries exhausted, a permanent failure, a
   * refusal). `experimentInput` is the input (only its `experiment` is read: a refused input may
   * be poison otherwise) or the experiment's name.
   */
  async dead(experimentInput: unknown, stage: string, index: number, attempt: number, reason: string, worker = this.worker): Promise<void> {
    await this.append('dead', experimentName(experimentInput), stage, index, attempt, { reason }, worker);
  }

  /** Closes the ledger client when this helper opened it. */
  async close(): Promise<void> {
    if (this.ownsClient) await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export function conformTask(o: ConformTaskOptions): ConformTask {
  return new ConformTask(o);
}

/** The ledger settings of section 5: FANIN_LEDGER_URL, FANIN_RUN_ID (required), FANIN_WORKER_ID (default pid-<pid>). */
export function ledgerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): { ledger: string; runId: string; worker: string } {
  const ledger = env.FANIN_LEDGER_URL;
  if (!ledger) throw new ConformEnvError('FANIN_LEDGER_URL');
  const runId = env.FANIN_RUN_ID;
  if (!runId) throw new ConformEnvError('FANIN_RUN_ID');
  return { ledger, runId, worker: env.FANIN_WORKER_ID || `pid-${process.pid}` };
}

export function conformTaskFromEnv(env: NodeJS.ProcessEnv = process.env): ConformTask {
  return new ConformTask(ledgerSettingsFromEnv(env));
}
