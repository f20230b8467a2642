/**
 * complete-task.lua for the completions a worker makes in one turn of its event loop (agents
 * that returned together), in one call per shard (call-batcher.ts). Each completion is
 * handled by the script as if alone, in order, and gets its own answer. A batch Redis refuses
 * whole (out of memory: refused before anything was written, see the script) or that fails
 * part-way (a key of the wrong type) is sent again completion by completion: those the failed
 * batch already counted come back 'confirmed' (their completion tokens), so none counts twice.
 */
import { CONSUMER_GROUP } from '../keys.js';
import type { Runtime } from '../runtime.js';
import { CallBatcher } from './call-batcher.js';
import type { Outcome } from './delivery-ends.js';

/** One completion: its KEYS and its group of ARGV (complete-task.lua's header, without the count). */
export interface CompletionCall {
  keys: readonly string[];
  args: readonly (string | number)[];
}

/** complete-task.lua's ARGV for the given completions (the transport's mode first). */
export function completeTaskArgs(mode: string, calls: readonly CompletionCall[]): (string | number)[] {
  return [mode, CONSUMER_GROUP, ...calls.flatMap((c) => [c.keys.length, ...c.args])];
}

const batchers = new WeakMap<Runtime, CallBatcher<CompletionCall, Outcome>>();

export function completeBatched(runtime: Runtime, shard: number, call: CompletionCall): Promise<Outcome> {
  let b = batchers.get(runtime);
  if (!b) {
    b = new CallBatcher<CompletionCall, Outcome>((calls) =>
      runtime.commit<Outcome[]>('complete-task', calls.flatMap((c) => c.keys), completeTaskArgs(runtime.transport.luaMode, calls)));
    batchers.set(runtime, b);
  }
  return b.call(String(shard), call);
}
