/**
 * Zero-work agents for the benchmark's fanin designs: no real work, but each checks that it
 * received exactly the upstream results it should (so the designs compared all do the same,
 * correct coordination).
 */
import { AgentError, type HandlerRegistry } from '../../src/index.js';

export function zeroWorkHandlers(fanOut: number): HandlerRegistry {
  return {
    pre_test: (ctx) => ({ output: { experiment: ctx.experimentId, batches: fanOut }, fanOut }),
    analyse_batch: (ctx) => {
      const pre = ctx.inputs[0] as { experiment: string; batches: number };
      if (pre.experiment !== ctx.experimentId || ctx.index >= pre.batches) throw new AgentError('analyse got a foreign pre_test result', { retryable: false });
      return { output: { experiment: ctx.experimentId, batch: ctx.index } };
    },
    corpus_synthesis: (ctx) => {
      const got = (ctx.inputs as { experiment: string; batch: number }[]).filter((x) => x.experiment === ctx.experimentId).map((x) => x.batch).sort((a, b) => a - b);
      if (got.length !== fanOut || got.some((b, i) => b !== i)) throw new AgentError(`synthesis got batches ${got.join(',')} of ${fanOut}`, { retryable: false });
      return { output: { experiment: ctx.experimentId, batches: got.length } };
    },
    review: (ctx) => {
      const s = ctx.inputs[0] as { experiment: string; batches: number };
      if (s.experiment !== ctx.experimentId || s.batches !== fanOut) throw new AgentError('review got a wrong synthesis', { retryable: false });
      return { output: { experiment: ctx.experimentId, reviewer: ctx.index } };
    },
    moderation: (ctx) => {
      const rs = (ctx.inputs as { experiment: string; reviewer: number }[]).filter((r) => r.experiment === ctx.experimentId).map((r) => r.reviewer).sort();
      if (rs.length !== 2 || rs[0] !== 0 || rs[1] !== 1) throw new AgentError(`moderation got reviews ${rs.join(',')}`, { retryable: false });
      return { output: { experiment: ctx.experimentId, verdict: 'ok' } };
    },
  };
}
