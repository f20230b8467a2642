/**
 * The zero-work agents as a `fanin worker --handlers` module, for the benchmark's worker
 * processes: FANIN_BENCH_FAN_OUT sets the fan-out the agents check (default 4).
 */
import { zeroWorkHandlers } from './zero-work-agents.js';

export const handlers = zeroWorkHandlers(Number(process.env.FANIN_BENCH_FAN_OUT ?? 4));
