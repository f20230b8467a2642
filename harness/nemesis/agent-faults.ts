/**
 * Faults inside agents (the harness wraps the handlers; the core is untouched): a slow agent
 * that outlives its attempt timeout (or its lease), or one that throws for a batch.
 * Deterministic: they hit task `index` of the stage (or every task: `index: 'all'`) in every
 * experiment, for the first `attempts` attempts.
 */
import { z } from 'zod';
import { ConfigError, type HandlerRegistry, type StageHandler } from '../../src/index.js';

export const agentFaultSchema = z
  .object({
    stage: z.string(),
    kind: z.enum(['slow', 'throw']),
    /** the task index it hits (default 0), or 'all': every task of the stage */
    index: z.union([z.number().int().min(0), z.literal('all')]).default(0),
    /** attempts it hits: 1 = only the first, a large number = every attempt */
    attempts: z.number().int().min(1).default(1),
    /** slow: how long the agent takes (ms) */
    ms: z.number().int().min(0).default(2000),
  })
  .strict();
export type AgentFault = z.output<typeof agentFaultSchema>;

export function parseAgentFaults(json: unknown): AgentFault[] {
  const r = z.array(agentFaultSchema).safeParse(json);
  if (!r.success) throw new ConfigError(`invalid agent faults: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

export function withAgentFaults(handlers: HandlerRegistry, faults: readonly AgentFault[]): HandlerRegistry {
  if (faults.length === 0) return handlers;
  const out: Record<string, StageHandler> = { ...handlers };
  for (const f of faults) {
    const inner = out[f.stage];
    if (!inner) throw new ConfigError(`agent fault on unknown stage "${f.stage}"`, { stage: f.stage });
    out[f.stage] = async (ctx) => {
      if ((f.index === 'all' || ctx.index === f.index) && ctx.attempt <= f.attempts) {
        if (f.kind === 'throw') throw new Error(`injected agent failure (${f.stage} task ${ctx.index}, attempt ${ctx.attempt})`);
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, f.ms);
          ctx.signal.addEventListener('abort', () => (clearTimeout(t), reject(ctx.signal.reason)), { once: true });
        });
      }
      return inner(ctx);
    };
  }
  return out;
}
