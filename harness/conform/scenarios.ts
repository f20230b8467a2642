/**
 * The conformance levels and their scenarios (docs/conformance.md, section 6), as data: each
 * scenario's experiments (directives and what is expected of each), its Redis (persistence,
 * fault proxy, toxics), the faults the nemesis injects at moments it observes in the ledger
 * ("when a start record of analyse_batch appears without its end") and the checks that judge it.
 */
import type { ToxicSpec } from '../nemesis/proxy/index.js';
import type { CheckName } from './checks/index.js';
import type { Expectation } from './checks/types.js';
import { CONTRACT, type ConformStage, type Directive } from './workload.js';

export interface ExperimentPlan {
  batches: number;
  directives: Directive[];
  expect: Expectation;
  /** replaces the input's `batches` (malformed-input): the input is then poison */
  poisonBatches?: unknown;
}

export type FaultAction =
  | { do: 'kill-worker' }
  | { do: 'pause-worker'; ms: number }
  | { do: 'kill-orchestrator' }
  | { do: 'redis-restart' }
  | { do: 'redis-pause'; ms: number }
  | { do: 'reset-connections' };

/** Fires once, the first time a task of `stage` is seen running (a start record without its end). */
export interface FaultStep {
  whenRunning: ConformStage;
  action: FaultAction;
}

export interface Scenario {
  name: string;
  level: number;
  summary: string;
  persistence: 'none' | 'aof';
  proxy: boolean;
  toxics: ToxicSpec[];
  faults: FaultStep[];
  checks: CheckName[];
  experiments(runs: number, timeoutMs: number): ExperimentPlan[];
}

export interface LevelDef {
  level: number;
  name: string;
  scenarios: Scenario[];
}

const PIPELINE_CHECKS: CheckName[] = ['completion', 'task-outputs', 'exactly-once', 'fan-in-order', 'audit'];
const FAILURE_CHECKS: CheckName[] = [...PIPELINE_CHECKS, 'failure-handling'];
const BATCHES = 3;
const complete: Expectation = { kind: 'complete' };

const plain = (directives: Directive[] = []): ExperimentPlan => ({ batches: BATCHES, directives, expect: complete });
const every = (directives: Directive[]) => (runs: number) => Array.from({ length: runs }, () => plain(directives));
/** Half the experiments (the even ones, at least one) get `special`, the others run plainly. */
const mixed = (special: ExperimentPlan) => (runs: number) =>
  Array.from({ length: Math.max(runs, 1) }, (_, i) => (i % 2 === 0 ? special : plain()));
/** A window in which a task of analyse_batch (and review) is running, for faults to land in. */
const slow = (ms: number): Directive[] => [
  { do: 'sleep', stage: 'analyse_batch', ms },
  { do: 'sleep', stage: 'review', ms: Math.round(ms / 2) },
];
/** A pause long enough for a system's lease to lapse, short enough for the experiment to finish. */
const pauseMs = (timeoutMs: number) => Math.max(1000, Math.min(3000, Math.round(timeoutMs / 5)));

function scenario(s: Partial<Scenario> & Pick<Scenario, 'name' | 'level' | 'summary' | 'experiments'>): Scenario {
  return { persistence: 'none', proxy: false, toxics: [], faults: [], checks: PIPELINE_CHECKS, ...s };
}

const L0: Scenario[] = [
  scenario({ name: 'pipeline', level: 0, summary: 'experiments complete with the expected outputs, each task once, fan-ins after their inputs, nothing left pending', experiments: every([]) }),
];

const L1: Scenario[] = [
  scenario({ name: 'retry', level: 1, summary: 'analyse_batch[0] fails its first two attempts: retried, it succeeds', checks: FAILURE_CHECKS, experiments: every([{ do: 'fail', stage: 'analyse_batch', index: 0, attempts: [1, 2] }]) }),
  scenario({
    name: 'always-fail', level: 1, summary: 'review[1] fails every attempt: the experiment ends failed with a cause, never hangs or succeeds', checks: FAILURE_CHECKS,
    experiments: mixed({ batches: BATCHES, directives: [{ do: 'fail', stage: 'review', index: 1, attempts: 'all' }], expect: { kind: 'fail', stage: 'review', index: 1, dead: false } }),
  }),
  scenario({
    name: 'reject', level: 1, summary: 'analyse_batch[1] is poison (a permanent failure): dead-lettered, the experiment ends failed', checks: FAILURE_CHECKS,
    experiments: mixed({ batches: BATCHES, directives: [{ do: 'reject', stage: 'analyse_batch', index: 1 }], expect: { kind: 'fail', stage: 'analyse_batch', index: 1, dead: true } }),
  }),
  scenario({
    name: 'malformed-input', level: 1, summary: 'an input with "batches": "many": refused by submit or ended failed, never hung or dropped', checks: FAILURE_CHECKS,
    experiments: mixed({ batches: BATCHES, directives: [], expect: { kind: 'refuse' }, poisonBatches: 'many' }),
  }),
];

const L2: Scenario[] = [
  scenario({ name: 'worker-kill', level: 2, summary: 'a worker SIGKILLed mid-task (then restarted as a new instance)', experiments: every(slow(1000)), faults: [{ whenRunning: 'analyse_batch', action: { do: 'kill-worker' } }, { whenRunning: 'review', action: { do: 'kill-worker' } }] }),
  scenario({ name: 'worker-exit', level: 2, summary: 'the worker running analyse_batch[0] exits at once on its first attempt (exit directive)', experiments: every([{ do: 'exit', stage: 'analyse_batch', index: 0, attempts: [1] }]) }),
  scenario({ name: 'worker-pause', level: 2, summary: 'a worker SIGSTOPped mid-task, SIGCONTed later', experiments: every(slow(1000)), faults: [{ whenRunning: 'analyse_batch', action: { do: 'pause-worker', ms: 0 } }] }),
];

const L3: Scenario[] = [
  scenario({ name: 'redis-restart', level: 3, summary: 'Redis killed and restarted (AOF, appendfsync always) mid-experiment', persistence: 'aof', experiments: every(slow(800)), faults: [{ whenRunning: 'analyse_batch', action: { do: 'redis-restart' } }] }),
  scenario({ name: 'redis-pause', level: 3, summary: 'Redis SIGSTOPped for 1.5 s mid-experiment', experiments: every(slow(800)), faults: [{ whenRunning: 'analyse_batch', action: { do: 'redis-pause', ms: 1500 } }] }),
  scenario({ name: 'connection-reset', level: 3, summary: 'every connection to Redis reset (TCP RST through the proxy) mid-task, twice', proxy: true, experiments: every(slow(800)), faults: [{ whenRunning: 'analyse_batch', action: { do: 'reset-connections' } }, { whenRunning: 'review', action: { do: 'reset-connections' } }] }),
  scenario({
    name: 'latency', level: 3, summary: '20±10 ms latency and 16-byte packet slicing on every Redis connection', proxy: true, experiments: every([]),
    toxics: [
      { type: 'latency', name: 'conform_latency', stream: 'downstream', attributes: { latency: 20, jitter: 10 } },
      { type: 'slicer', name: 'conform_slicer_up', stream: 'upstream', attributes: { average_size: 16, size_variation: 8, delay: 100 } },
      { type: 'slicer', name: 'conform_slicer_down', stream: 'downstream', attributes: { average_size: 16, size_variation: 8, delay: 100 } },
    ],
  }),
];

const L4: Scenario[] = [
  scenario({ name: 'orchestrator-kill', level: 4, summary: 'every orchestrator process SIGKILLed mid-experiment and restarted, twice', experiments: every(slow(800)), faults: [{ whenRunning: 'analyse_batch', action: { do: 'kill-orchestrator' } }, { whenRunning: 'review', action: { do: 'kill-orchestrator' } }] }),
];

export const LEVELS: LevelDef[] = [
  { level: 0, name: 'Pipeline', scenarios: L0 },
  { level: 1, name: 'Failures', scenarios: L1 },
  { level: 2, name: 'Worker crashes', scenarios: L2 },
  { level: 3, name: 'Redis faults', scenarios: L3 },
  { level: 4, name: 'Orchestrator crashes', scenarios: L4 },
];
export const MAX_LEVEL = LEVELS.length - 1;
export const SCENARIO_NAMES = LEVELS.flatMap((l) => l.scenarios.map((s) => s.name));

export function pauseDurationMs(action: FaultAction, timeoutMs: number): number {
  return action.do === 'pause-worker' || action.do === 'redis-pause' ? action.ms || pauseMs(timeoutMs) : 0;
}

/** The experiment input a plan stands for (poison when `poisonBatches` is set). */
export function experimentInput(plan: ExperimentPlan, experiment: string): string {
  return JSON.stringify({ contract: CONTRACT, experiment, batches: plan.poisonBatches ?? plan.batches, directives: plan.directives });
}
