/**
 * A scenario: the workload of a diagnose run, an optional fault schedule (used by the nemesis),
 * and the verdict it is expected to reach. One file per scenario in `scenarios/`.
 */
import { z } from 'zod';
import { ConfigError } from '../../src/errors.js';
import type { HistoryRecorder } from '../history/recorder.js';
import type { StartedRedis } from '../redis/provider.js';

export const workloadSchema = z
  .object({
    /** default --runs */
    runs: z.number().int().min(1).optional(),
    /** default --concurrency */
    concurrency: z.number().int().min(1).optional(),
    /** documents per analyse_batch task */
    batchSize: z.number().int().min(1).default(3),
    /** the corpus is repeated this many times (ids suffixed) to widen the fan-out */
    corpusCopies: z.number().int().min(1).max(100).default(1),
    /** default --run-timeout (ms) */
    runTimeoutMs: z.number().int().min(1).optional(),
  })
  .strict();

/** What a fault schedule gets: the run's Redis and workers, the history, the seed. */
export interface FaultContext {
  redis: StartedRedis;
  history: HistoryRecorder;
  seed: number;
  /** aborted when the workload finished */
  signal: AbortSignal;
}

export interface Scenario {
  name: string;
  description: string;
  workload: z.output<typeof workloadSchema>;
  /** Fault schedule: started with the workload, runs until `ctx.signal` aborts. */
  faults?: (ctx: FaultContext) => Promise<void>;
  expect: { verdict: 'pass' | 'fail'; deadLetters: boolean };
}

const scenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'scenario names are kebab-case'),
    description: z.string().min(1),
    workload: workloadSchema.default({}),
    faults: z.function().optional(),
    expect: z.object({ verdict: z.enum(['pass', 'fail']).default('pass'), deadLetters: z.boolean().default(false) }).strict().default({}),
  })
  .strict();

export type ScenarioInput = z.input<typeof scenarioSchema>;

export function defineScenario(input: ScenarioInput): Scenario {
  const r = scenarioSchema.safeParse(input);
  if (!r.success) {
    throw new ConfigError(`invalid scenario: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return r.data as Scenario;
}
