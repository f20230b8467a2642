/** fanin's core as a benchmark design (streams or lists transport), behind the peers' interface. */
import { CONSTITUTIONAL_PIPELINE, Orchestrator, Worker } from '../../src/index.js';
import type { Design } from '../peers/design.js';
import { zeroWorkHandlers } from './zero-work-agents.js';

export function faninDesign(transport: 'streams' | 'lists'): Design {
  let orchestrator: Orchestrator | undefined;
  let workers: Worker[] = [];
  return {
    name: `fanin-${transport}`,
    async start(redisUrl, { fanOut, prefix }) {
      const base = { redisUrl, transport, prefix };
      orchestrator = new Orchestrator({ ...base, pipeline: CONSTITUTIONAL_PIPELINE });
      await orchestrator.start();
      const handlers = zeroWorkHandlers(fanOut);
      workers = CONSTITUTIONAL_PIPELINE.stages.map((s) => new Worker({ ...base, stage: s.name, handler: handlers[s.name], concurrency: 16 }));
      for (const w of workers) await w.start();
    },
    async runExperiment(id) {
      const o = orchestrator!;
      await o.submit({ id, input: { id } });
      const s = await o.waitFor(id, 60_000);
      if (s.status !== 'completed') throw new Error(`fanin experiment ${id} ${s.status}: ${s.cause}`);
    },
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
      await orchestrator?.close();
    },
  };
}
