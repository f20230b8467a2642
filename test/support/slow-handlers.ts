/**
 * The built-in constitutional handlers, with one stage made slow, for crash tests. Loaded by
 * worker processes through `fanin worker --handlers test/support/slow-handlers.ts`:
 * FANIN_SLOW_STAGE names the stage, FANIN_SLOW_MS the delay; each slow task prints
 * `STARTED <experiment> <stage> <index>` on stdout when it begins, so a test knows it is mid-task.
 */
import { constitutionalHandlers } from '../../src/agents/index.js';
import type { HandlerRegistry, StageHandler } from '../../src/pipeline/types.js';

export function slowHandlers(stage: string, ms: number, onStart?: (line: string) => void): HandlerRegistry {
  const inner = constitutionalHandlers[stage];
  const slow: StageHandler = async (ctx) => {
    const line = `STARTED ${ctx.experimentId} ${ctx.stage} ${ctx.index}`;
    if (onStart) onStart(line);
    else process.stdout.write(`${line}\n`);
    await new Promise((r) => setTimeout(r, ms));
    return inner(ctx);
  };
  return { ...constitutionalHandlers, [stage]: slow };
}

export const handlers: HandlerRegistry = slowHandlers(process.env.FANIN_SLOW_STAGE ?? 'analyse_batch', Number(process.env.FANIN_SLOW_MS ?? 2000));
