/**
 * What each stage of the bare streams peer does with one message: run its zero-work agent (the
 * same input-checking agents as the other peers, from agents.ts) and say which Lua verb carries
 * the result on. Pure: no Redis here.
 *
 *   pre_test ─advance─▶ analyse_batch × fanOut ─arrive─▶ corpus_synthesis ─advance─▶ review × 2
 *            ─arrive─▶ moderation ─advance─▶ done
 */
import { REVIEWERS, analyseBatch, corpusSynthesis, moderation, preTest, review, type Stage } from './agents.js';

/** The header of every message: which experiment, which task of its stage, the fan-out width. */
export interface BareHeader {
  exp: string;
  index: number;
  fanOut: number;
}

/** A message to add: its header and its input, both JSON. */
export type BareMessage = [header: string, input: string];

export type BareTransition =
  | { verb: 'advance'; to: Stage | 'done'; messages: BareMessage[] }
  | { verb: 'arrive'; to: Stage; index: number; result: string; width: number; header: string };

const header = (exp: string, index: number, fanOut: number): string => JSON.stringify({ exp, index, fanOut } satisfies BareHeader);

function fanOutTo(to: Stage, exp: string, fanOut: number, width: number, out: unknown): BareTransition {
  const input = JSON.stringify(out);
  return { verb: 'advance', to, messages: Array.from({ length: width }, (_, i) => [header(exp, i, fanOut), input]) };
}

/** Runs `stage`'s agent on one message; throws AgentCheckError when its input check fails. */
export function bareStep(stage: Stage, h: BareHeader, input: unknown): BareTransition {
  const { exp, index, fanOut } = h;
  switch (stage) {
    case 'pre_test': {
      const out = preTest(exp, fanOut);
      return fanOutTo('analyse_batch', exp, out.fanOut, out.fanOut, out);
    }
    case 'analyse_batch':
      return { verb: 'arrive', to: 'corpus_synthesis', index, result: JSON.stringify(analyseBatch(exp, index, input)), width: fanOut, header: header(exp, 0, fanOut) };
    case 'corpus_synthesis':
      return fanOutTo('review', exp, fanOut, REVIEWERS, corpusSynthesis(exp, fanOut, input as unknown[]));
    case 'review':
      return { verb: 'arrive', to: 'moderation', index, result: JSON.stringify(review(exp, index, fanOut, input)), width: REVIEWERS, header: header(exp, 0, fanOut) };
    case 'moderation':
      return { verb: 'advance', to: 'done', messages: [[header(exp, 0, fanOut), JSON.stringify(moderation(exp, input as unknown[]))]] };
  }
}

/** An agent that failed: the experiment ends with the error (the done stream carries it). */
export function bareFailure(h: BareHeader, err: Error): BareTransition {
  return { verb: 'advance', to: 'done', messages: [[header(h.exp, h.index, h.fanOut), JSON.stringify({ error: err.message })]] };
}
