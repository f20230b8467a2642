/**
 * What each experiment of a run must reproduce, from the pipeline module's `reference`:
 * 'local' — the same handlers run in memory on the experiment's input (every stage's outputs
 * and the result); a function — its golden final output; false — nothing (the checker says
 * why). One computation per distinct input. Stub agents skip the reference too.
 */
import type { Redis } from 'ioredis';
import { ConfigError, contentHash, type GoldenReference, type Keyspace, type PipelineModule } from '../../src/index.js';
import type { HealthSnapshot } from '../audit/health-types.js';
import { referenceRun } from '../checkers/reference-run.js';
import type { ReferenceRun } from '../checkers/types.js';

export interface RunReferences {
  /** experiment id → its reference */
  byExperiment: Map<string, ReferenceRun>;
  /** why there is none, when skipped */
  skipped?: string;
}

async function goldenAnswer(m: PipelineModule, mode: GoldenReference, input: unknown): Promise<unknown> {
  try {
    return await mode(input, m.params);
  } catch (err) {
    throw new ConfigError(`pipeline ${m.pipeline.name}: its reference function threw on an input: ${(err as Error).message}`, {}, { cause: err });
  }
}

function golden(expected: unknown): ReferenceRun {
  const { hash, json } = contentHash(expected);
  return { stages: [], resultHash: hash, golden: true, expected: clip(json) };
}

export async function runReferences(m: PipelineModule, inputs: ReadonlyMap<string, unknown>, stubAgents: boolean): Promise<RunReferences> {
  const byExperiment = new Map<string, ReferenceRun>();
  if (stubAgents) return { byExperiment, skipped: 'reference skipped: stub agents replaced the handlers (--stub-agents)' };
  const mode = m.reference;
  if (mode === false) return { byExperiment, skipped: `reference skipped: pipeline ${m.pipeline.name} sets reference: false (handlers not deterministic)` };
  const byInput = new Map<unknown, ReferenceRun>();
  const byHash = new Map<string, ReferenceRun>();
  for (const [experimentId, input] of inputs) {
    let ref = byInput.get(input);
    if (!ref) {
      const key = contentHash(input).hash;
      ref = byHash.get(key);
      if (!ref) {
        ref = mode === 'local' ? await referenceRun(m.pipeline, m.handlers, input, { ...m.params }) : golden(await goldenAnswer(m, mode, input));
        byHash.set(key, ref);
      }
      if (input !== null && typeof input === 'object') byInput.set(input, ref);
    }
    byExperiment.set(experimentId, ref);
  }
  return { byExperiment, skipped: undefined };
}

const clip = (json: string) => (json.length > 300 ? `${json.slice(0, 300)}…` : json);

/**
 * The final outputs (canonical JSON, clipped) of the completed experiments whose result differs
 * from their golden answer, read from Redis for the evidence: what came out instead.
 */
export async function differingFinals(redis: Redis, keys: Keyspace, health: HealthSnapshot, refs: RunReferences): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const differing = health.results.filter((r) => {
    const ref = refs.byExperiment.get(r.experimentId);
    return ref?.golden && r.resolved && r.resultHash !== ref.resultHash;
  }).slice(0, 20);
  for (const r of differing) {
    const raw = await redis.hget(keys.artifacts(r.experimentId), r.resultHash).catch(() => null);
    if (raw !== null) out.set(r.experimentId, clip(raw));
  }
  return out;
}
