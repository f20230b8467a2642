/**
 * Verification at the moment an experiment ends, for runs whose retention is shorter than the
 * run (a scenario's `retentionMs`): an ended experiment's keys expire by design soon after it
 * ends, so the post-run snapshot would find them gone. Right after the core's own `waitFor`
 * returns, its state, the task indexes each stage counted, every result those stages recorded
 * and its final output are read and verified; the post-run snapshot then takes these records
 * for whatever has expired since. Only reads.
 */
import type { Redis } from 'ioredis';
import type { ExperimentState, Keyspace } from '../../src/index.js';
import { artifactRef, verifyArtifacts, type Verified } from './health-snapshot.js';
import type { ExperimentHealth, FinalResultIntegrity, HealthSnapshot } from './health-types.js';

interface Captured {
  experiment: ExperimentHealth;
  /** artifact hash → what the capture found */
  artifacts: Map<string, Verified>;
  result: FinalResultIntegrity | null;
}

export class CompletionCapture {
  private readonly captured = new Map<string, Captured>();
  /** captures that could not be taken (Redis errors), by experiment */
  readonly errors = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
    /** the core's own reading of an experiment's state (Orchestrator.getState) */
    private readonly getState: (id: string) => Promise<ExperimentState | null>,
    private readonly validateResult: (output: unknown) => string[],
  ) {}

  /** Reads and verifies one ended experiment. Never throws (an error is recorded). */
  async capture(id: string): Promise<void> {
    try {
      this.captured.set(id, await this.read(id));
    } catch (err) {
      this.errors.set(id, err instanceof Error ? err.message : String(err));
    }
  }

  private async read(id: string): Promise<Captured> {
    const { redis, keys } = this;
    const s = await this.getState(id);
    if (!s) {
      const experiment: ExperimentHealth = { id, status: 'missing', stage: '', stageIndex: -1, remaining: 0, width: 0, cause: 'no state in Redis when its wait returned (expired at once)' };
      return { experiment, artifacts: new Map(), result: null };
    }
    const counted: Record<number, number[]> = {};
    const hashes = new Set<string>();
    for (let si = 0; si <= s.stageIndex; si++) {
      const rec = await redis.hgetall(keys.stageResults(id, si));
      const indexes = Object.keys(rec).filter((f) => /^\d+$/.test(f));
      counted[si] = indexes.map(Number).sort((a, b) => a - b);
      for (const f of indexes) if (!rec[f].startsWith('!')) hashes.add(rec[f]);
    }
    const byRef = await verifyArtifacts(redis, keys, [...hashes].map((hash) => ({ experimentId: id, hash })));
    const artifacts = new Map([...hashes].map((h) => [h, byRef.get(artifactRef(id, h))!]));
    let result: FinalResultIntegrity | null = null;
    if (s.status === 'completed' && s.resultHash) {
      const v = (await verifyArtifacts(redis, keys, [{ experimentId: id, hash: s.resultHash }], this.validateResult)).get(artifactRef(id, s.resultHash))!;
      result = { experimentId: id, resultHash: s.resultHash, resolved: v.resolved, matches: v.sha === s.resultHash, schemaValid: v.resolved && v.errors.length === 0, schemaErrors: v.errors };
    }
    const experiment: ExperimentHealth = { id, status: s.status, stage: s.stage, stageIndex: s.stageIndex, remaining: s.remaining, width: s.width, cause: s.cause, counted };
    return { experiment, artifacts, result };
  }

  get size(): number {
    return this.captured.size;
  }

  /**
   * The post-run snapshot with the captures standing in for what expired after them: the state
   * of an experiment now missing, artifacts now missing, final results of experiments no longer
   * in Redis. What is still in Redis keeps the post-run reading.
   */
  merge(h: HealthSnapshot): HealthSnapshot {
    const experiments = h.experiments.map((e) => (e.status === 'missing' ? (this.captured.get(e.id)?.experiment ?? e) : e));
    const artifacts = h.artifacts.map((a) => {
      if (a.resolved) return a;
      const v = this.captured.get(a.experimentId)?.artifacts.get(a.hash);
      return v ? { ...a, resolved: v.resolved, matches: v.sha === a.hash } : a;
    });
    const have = new Set(h.results.map((r) => r.experimentId));
    const results = [...h.results];
    for (const [id, c] of this.captured) if (c.result && !have.has(id)) results.push(c.result);
    return { ...h, experiments, artifacts, results };
  }
}
