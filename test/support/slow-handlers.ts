/**
 * The built-in constitutional handlers, with one stage made slow, for crash tests. Loaded by
 * worker processes through `fanin worker --handlers test/support/slow-handlers.ts`:
 * FANIN_SLOW_STAGE names the stage, FANIN_SLOW_MS the delay; each slow task prints
 * `STARTED <experiment> <stage> <index>` on stdout when it begins, so a test knows it is mid-task.
 * FANIN_BLOCK_MS (default 0): after the delay, the agent also holds the event loop that long
 * (a synchronous, CPU-bound part, as a real agent's parsing or scoring), then does its work.
 */
import { constitutionalHandlers } from '../../src/agents/index.js';
import type { HandlerRegistry, StageHandler } from '../../src/pipeline/types.js';

/** Holds the event loop for `ms` (wall clock), as a synchronous CPU-bound step does. */
function holdLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: nothing else runs on this event loop meanwhile
  }
}

export function slowHandlers(stage: string, ms: number, onStart?: (line: string) => void, blockMs = 0): HandlerRegistry {
  const inner = constitutionalHandlers[stage];
  const slow: StageHandler = async (ctx) => {
    const line = `STARTED ${ctx.experimentId} ${ctx.stage} ${ctx.index}`;
    if (onStart) onStart(line);
    else process.stdout.write(`${line}\n`);
    await new Promise((r) => setTimeout(r, ms));
    if (blockMs > 0) holdLoop(blockMs);
    return inner(ctx);
  };
  return { ...constitutionalHandlers, [stage]: slow };
}

export const handlers: HandlerRegistry = slowHandlers(process.env.FANIN_SLOW_STAGE ?? 'analyse_batch', Number(process.env.FANIN_SLOW_MS ?? 2000), undefined, Number(process.env.FANIN_BLOCK_MS ?? 0));
