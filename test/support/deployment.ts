/** Starts an orchestrator and one worker per stage, in process, against a test Redis. */
import type { LifecycleEvent } from '../../src/events.js';
import { Orchestrator, type OrchestratorOptions } from '../../src/pipeline/orchestrator.js';
import type { PipelineSpecInput } from '../../src/pipeline/spec.js';
import type { HandlerRegistry } from '../../src/pipeline/types.js';
import { Worker, type WorkerOptions } from '../../src/worker/worker.js';

export interface Deployment {
  orchestrator: Orchestrator;
  workers: Worker[];
  events: LifecycleEvent[];
  stop(): Promise<void>;
}

let counter = 0;

export async function deploy(opts: {
  url: string;
  transport: 'streams' | 'lists';
  handlers: HandlerRegistry;
  pipeline?: PipelineSpecInput;
  prefix?: string;
  worker?: Partial<WorkerOptions>;
  orchestrator?: Partial<OrchestratorOptions>;
  stages?: string[];
}): Promise<Deployment> {
  const events: LifecycleEvent[] = [];
  const sink = (e: LifecycleEvent) => void events.push(e);
  const prefix = opts.prefix ?? `t${process.pid}-${++counter}`;
  const base = { redisUrl: opts.url, transport: opts.transport, prefix, events: sink };
  const orchestrator = new Orchestrator({ ...base, pipeline: opts.pipeline, ...opts.orchestrator });
  await orchestrator.start();
  const stages = opts.stages ?? orchestrator.pipeline.stages.map((s) => s.name);
  const workers = stages.map((stage) => new Worker({ ...base, stage, handler: opts.handlers[stage], ...opts.worker }));
  for (const w of workers) await w.start();
  return {
    orchestrator,
    workers,
    events,
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
      await orchestrator.close();
    },
  };
}

/** Events of one type (optionally of one experiment and stage). */
export function eventsOf(events: LifecycleEvent[], type: LifecycleEvent['type'], filter: Partial<LifecycleEvent> = {}): LifecycleEvent[] {
  return events.filter((e) => e.type === type && Object.entries(filter).every(([k, v]) => (e as unknown as Record<string, unknown>)[k] === v));
}
