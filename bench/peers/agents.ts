/**
 * Zero-work agents shared by the peer designs. They do no work but CHECK their inputs: each
 * asserts it received exactly the upstream results it should have, for its own experiment,
 * and throws AgentCheckError otherwise. So a lost, duplicated or misrouted message fails the
 * experiment instead of passing silently.
 *
 * DAG: pre_test → analyse_batch × fanOut → corpus_synthesis → review × 2 → moderation.
 */

export const STAGES = ['pre_test', 'analyse_batch', 'corpus_synthesis', 'review', 'moderation'] as const;
export type Stage = (typeof STAGES)[number];
export type StageCounts = Record<Stage, number>;
export const REVIEWERS = 2;

export interface PreTestOut {
  exp: string;
  fanOut: number;
}
export interface AnalyseOut {
  exp: string;
  index: number;
}
export interface SynthesisOut {
  exp: string;
  batches: number;
}
export interface ReviewOut {
  exp: string;
  reviewer: number;
}
export interface ModerationOut {
  exp: string;
  reviews: number;
}

export class AgentCheckError extends Error {
  override name = 'AgentCheckError';
}

export function newStageCounts(): StageCounts {
  return { pre_test: 0, analyse_batch: 0, corpus_synthesis: 0, review: 0, moderation: 0 };
}

function check(cond: unknown, stage: Stage, exp: string, what: string): asserts cond {
  if (!cond) throw new AgentCheckError(`${stage} (${exp}): ${what}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Checks that `results` are exactly `n` results of `exp` whose `key` values are 0..n-1, each once. */
function checkIndexed(stage: Stage, exp: string, results: unknown[], n: number, key: 'index' | 'reviewer'): void {
  check(Array.isArray(results), stage, exp, 'inputs are not an array');
  check(results.length === n, stage, exp, `expected ${n} inputs, got ${results.length}`);
  const seen = new Set<number>();
  for (const r of results) {
    check(isObject(r), stage, exp, `input is not an object: ${JSON.stringify(r)}`);
    check(r.exp === exp, stage, exp, `input from another experiment: ${JSON.stringify(r.exp)}`);
    const i = r[key];
    check(Number.isInteger(i) && (i as number) >= 0 && (i as number) < n, stage, exp, `${key} out of range: ${JSON.stringify(i)}`);
    check(!seen.has(i as number), stage, exp, `duplicate ${key} ${i}`);
    seen.add(i as number);
  }
}

export function preTest(exp: string, fanOut: number): PreTestOut {
  check(typeof exp === 'string' && exp.length > 0, 'pre_test', String(exp), 'missing experiment id');
  check(Number.isInteger(fanOut) && fanOut >= 1, 'pre_test', exp, `bad fanOut ${fanOut}`);
  return { exp, fanOut };
}

export function analyseBatch(exp: string, index: number, upstream: unknown): AnalyseOut {
  check(isObject(upstream) && upstream.exp === exp, 'analyse_batch', exp, `pre_test result of another experiment: ${JSON.stringify(upstream)}`);
  const fanOut = upstream.fanOut;
  check(Number.isInteger(fanOut) && Number.isInteger(index) && index >= 0 && index < (fanOut as number), 'analyse_batch', exp, `index ${index} outside 0..${String(fanOut)}-1`);
  return { exp, index };
}

/** Asserts it got exactly fanOut analyse results, indexes 0..fanOut-1, all for `exp`. */
export function corpusSynthesis(exp: string, fanOut: number, results: unknown[]): SynthesisOut {
  checkIndexed('corpus_synthesis', exp, results, fanOut, 'index');
  return { exp, batches: results.length };
}

export function review(exp: string, index: number, fanOut: number, upstream: unknown): ReviewOut {
  check(isObject(upstream) && upstream.exp === exp, 'review', exp, `synthesis result of another experiment: ${JSON.stringify(upstream)}`);
  check(upstream.batches === fanOut, 'review', exp, `synthesis saw ${String(upstream.batches)} batches, expected ${fanOut}`);
  check(Number.isInteger(index) && index >= 0 && index < REVIEWERS, 'review', exp, `reviewer ${index} out of range`);
  return { exp, reviewer: index };
}

/** Asserts it got both reviews (reviewers 0 and 1) of `exp`. */
export function moderation(exp: string, results: unknown[]): ModerationOut {
  checkIndexed('moderation', exp, results, REVIEWERS, 'reviewer');
  return { exp, reviews: results.length };
}

/** The moderation result that marks an experiment complete, checked once more by the caller. */
export function checkFinal(exp: string, out: unknown): void {
  check(isObject(out) && out.exp === exp && out.reviews === REVIEWERS, 'moderation', exp, `unexpected final result ${JSON.stringify(out)}`);
}
