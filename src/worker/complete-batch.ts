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
import { SharedKeys } from './shared-keys.js';
import type { Outcome } from './delivery-ends.js';

/** One completion: its KEYS and its group of ARGV (complete-task.lua's header, without where its keys are). */
export interface CompletionCall {
  keys: readonly string[];
  args: readonly (string | number)[];
}

/**
 * complete-task.lua's KEYS and ARGV for the given completions (the transport's mode first).
 * Completions with the very same keys (tasks of one experiment, completed together) share one
 * copy of them: a batch of a wide stage sends its keys once, not once per task.
 */
export function completeTaskCall(mode: string, calls: readonly CompletionCall[]): { keys: string[]; args: (string | number)[] } {
  const shared = new SharedKeys();
  const args: (string | number)[] = [mode, CONSUMER_GROUP];
  for (const c of calls) args.push(shared.place(c.keys), c.keys.length, ...c.args);
  return { keys: shared.keys, args };
}

const batchers = new WeakMap<Runtime, CallBatcher<CompletionCall, Outcome>>();

export function completeBatched(runtime: Runtime, shard: number, call: CompletionCall): Promise<Outcome> {
  let b = batchers.get(runtime);
  if (!b) {
    b = new CallBatcher<CompletionCall, Outcome>((calls) => {
      const { keys, args } = completeTaskCall(runtime.transport.luaMode, calls);
      return runtime.commit<Outcome[]>('complete-task', keys, args);
    });
    batchers.set(runtime, b);
  }
  return b.call(String(shard), call);
}
