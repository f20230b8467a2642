/**
 * The core benchmarks' workload, shared by bench/core.ts (one redis-server) and
 * bench/cluster.ts (local clusters): the default DAG (pre_test → 4 × analyse_batch →
 * corpus_synthesis → 2 × review → moderation, 9 tasks) with zero-work agents, one Worker per
 * stage in this process, and the closed loop that keeps C experiments in flight.
 */
import * as hdr from 'hdr-histogram-js';
import { CONSTITUTIONAL_PIPELINE, type HandlerRegistry, Orchestrator, Worker } from '../src/index.js';

export const ZERO_WORK: HandlerRegistry = {
  pre_test: () => ({ output: { batches: 4 }, fanOut: 4 }),
  analyse_batch: (ctx) => ({ output: { batch: ctx.index } }),
  corpus_synthesis: (ctx) => ({ output: { batches: ctx.inputs.length } }),
  review: (ctx) => ({ output: { reviewer: ctx.index } }),
  moderation: (ctx) => ({ output: { reviews: ctx.inputs.length } }),
};

export interface PipelineTarget {
  redisUrl: string;
  transport: 'streams' | 'lists';
  prefix: string;
  /** shards of the keyspace (default 1) */
  shards?: number;
}

export interface ZeroWorkPipeline {
  readonly orchestrator: Orchestrator;
  stop(): Promise<void>;
}

/** Starts the orchestrator and one Worker per stage (each `concurrency` tasks at a time). */
export async function startZeroWorkPipeline(target: PipelineTarget, concurrency: number, handlers: HandlerRegistry = ZERO_WORK): Promise<ZeroWorkPipeline> {
  const base = { redisUrl: target.redisUrl, transport: target.transport, prefix: target.prefix, shards: target.shards ?? 1 };
  const orchestrator = new Orchestrator({ ...base, pipeline: CONSTITUTIONAL_PIPELINE });
  const workers = CONSTITUTIONAL_PIPELINE.stages.map((s) => new Worker({ ...base, stage: s.name, handler: handlers[s.name], concurrency }));
  const stop = async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await orchestrator.close();
  };
  try {
    await orchestrator.start();
    for (const w of workers) await w.start();
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { orchestrator, stop };
}

/** End-to-end latency in microseconds, 1 µs to 60 s, 3 significant digits. */
export function latencyHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
}

export interface DriveOptions {
  /** experiments to run */
  count: number;
  /** experiments in flight */
  concurrency: number;
  /** records each experiment's submit → end latency (µs) when given */
  histogram?: hdr.Histogram;
  /** experiment ids `<idPrefix>-<n>` (deterministic shards); random ids when absent */
  idPrefix?: string;
}

/** Runs `count` experiments, `concurrency` at a time (closed loop); returns how many did not complete. */
export async function driveExperiments(orchestrator: Orchestrator, o: DriveOptions): Promise<{ failed: number }> {
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < o.count) {
        next += 1;
        const n = next;
        const t0 = performance.now();
        const id = await orchestrator.submit({ id: o.idPrefix === undefined ? undefined : `${o.idPrefix}-${n}`, input: { n } });
        const state = await orchestrator.waitFor(id, 30_000);
        if (state.status !== 'completed') failed += 1;
        o.histogram?.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
      }
    }),
  );
  return { failed };
}
