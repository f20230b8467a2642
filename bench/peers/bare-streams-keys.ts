/**
 * Every Redis key and name of the bare streams peer, in one place. (The peer is not the core, so
 * it keeps its own names instead of src/keys.ts; all of them live under the run's prefix.)
 */
import type { Stage } from './agents.js';

export const BARE_GROUP = 'bare';

export interface BareKeys {
  /** The stream of one stage (one consumer group, BARE_GROUP, per stream). */
  stage(stage: Stage): string;
  /** Where moderation (or a failed agent) reports an experiment's end. */
  done(): string;
  /** The fan-in hash of one experiment's fan-in into `stage` (field: arrival index). */
  fanIn(exp: string, stage: Stage): string;
}

export function bareKeys(prefix: string): BareKeys {
  return {
    stage: (stage) => `${prefix}:bare:s:${stage}`,
    done: () => `${prefix}:bare:done`,
    fanIn: (exp, stage) => `${prefix}:bare:fi:${stage}:${exp}`,
  };
}
