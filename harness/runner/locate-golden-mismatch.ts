/**
 * Where a golden mismatch comes from. A golden `reference` gives only the final result, so when an
 * experiment's result differs from it the handlers run once more in memory on that input
 * (runLocally; only for the differing experiments, once per distinct input) and tell two causes
 * apart:
 * - the in-memory run gives the golden answer: the coordination changed the result. The
 *   experiment's reference then gets the in-memory run's stage outputs, and the checker names the
 *   first stage and task whose output differs from them;
 * - the in-memory run gives the same wrong result: a handler computes it wrongly (a deterministic
 *   bug). A wrong text value of the result (`"placeholder"`) is traced to the first stage whose
 *   outputs hold it, and the evidence names that stage and its tasks.
 */
import { contentHash, runLocally, type LocalRun, type PipelineModule } from '../../src/index.js';
import type { GoldenLocation, ReferenceRun } from '../checkers/types.js';
import type { RunReferences } from './run-references.js';

/** The words of a text (letters, digits, `_` and `-`). */
const wordsOf = (s: string) => s.split(/[^\p{L}\p{N}_-]+/u).filter(Boolean);

/** What to look for: a whole text value, or one word of it. */
export interface Needle {
  text: string;
  word: boolean;
}

/**
 * The text values of `got` where `want` differs (at the same path), and the words such a text
 * has that the expected text has not (`"one placeholder three"` against `"one two three"`:
 * `placeholder`): a wrong word may come from an earlier stage than the text that holds it.
 */
export function differingTexts(got: unknown, want: unknown, out: Needle[] = []): Needle[] {
  if (typeof got === 'string') {
    if (got === want) return out;
    out.push({ text: got, word: false });
    const expected = new Set(typeof want === 'string' ? wordsOf(want) : []);
    for (const w of new Set(wordsOf(got))) if (!expected.has(w) && w !== got) out.push({ text: w, word: true });
  } else if (got !== null && typeof got === 'object') {
    const w = (want !== null && typeof want === 'object' ? want : {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(got as Record<string, unknown>)) differingTexts(v, w[k], out);
  }
  return out;
}

function holds(value: unknown, n: Needle): boolean {
  if (typeof value === 'string') return n.word ? wordsOf(value).includes(n.text) : value === n.text;
  if (value !== null && typeof value === 'object') return Object.values(value as Record<string, unknown>).some((v) => holds(v, n));
  return false;
}

/** The first stage of the in-memory run whose outputs hold one of `needles` (and its input does not). */
export function traceTexts(local: LocalRun, input: unknown, needles: Needle[]): GoldenLocation | null {
  const wanted = needles.filter((n) => !holds(input, n));
  for (const s of local.stages) {
    for (const n of wanted) {
      const tasks = s.outputs.flatMap((o, i) => (holds(o, n) ? [i] : []));
      if (tasks.length === 0) continue;
      return { stage: s.stage, note: `${JSON.stringify(n.text).slice(0, 80)} first appears in the output of ${s.stage} task${tasks.length === 1 ? '' : 's'} ${tasks.join(', ')} (of ${s.outputs.length})` };
    }
  }
  return null;
}

const HANDLER_BUG = 'the handlers run in memory on the same input give the same result: a handler computes it wrongly (not the coordination)';

async function locateOne(m: PipelineModule, input: unknown, ref: ReferenceRun, gotHash: string): Promise<{ location?: GoldenLocation; stages?: ReferenceRun['stages'] }> {
  let local: LocalRun;
  try {
    local = await runLocally(m.pipeline, m.handlers, input, { ...m.params });
  } catch (err) {
    return { location: { stage: null, note: `the handlers run in memory on the same input failed (${(err as Error).message}), so the stage is not located` } };
  }
  if (local.resultHash === ref.resultHash) return { stages: local.stages.map((s) => ({ stage: s.stage, hashes: s.hashes })) };
  if (local.resultHash !== gotHash) return { location: { stage: null, note: 'the handlers run in memory on the same input give a third result: they are not deterministic' } };
  const golden = typeof m.reference === 'function' ? await m.reference(input, m.params) : undefined;
  const traced = traceTexts(local, input, differingTexts(local.result, golden));
  return { location: traced ? { stage: traced.stage, note: `${HANDLER_BUG}; ${traced.note}` } : { stage: null, note: `${HANDLER_BUG}; the golden reference gives only the final result, so the stage is not located` } };
}

/**
 * For each experiment whose result (in `results`) differs from its golden answer (at most 20):
 * its location, and — when the coordination is to blame — its reference replaced by one with the
 * in-memory run's stage outputs (in `refs`).
 */
export async function locateGoldenMismatches(
  m: PipelineModule, inputs: ReadonlyMap<string, unknown>, refs: RunReferences, results: readonly { experimentId: string; resultHash: string | null; resolved: boolean }[],
): Promise<Map<string, GoldenLocation>> {
  const out = new Map<string, GoldenLocation>();
  const byInput = new Map<string, Awaited<ReturnType<typeof locateOne>>>();
  const differing = results.filter((r) => {
    const ref = refs.byExperiment.get(r.experimentId);
    return ref?.golden && r.resolved && r.resultHash && r.resultHash !== ref.resultHash && inputs.has(r.experimentId);
  }).slice(0, 20);
  for (const { experimentId, resultHash } of differing) {
    const ref = refs.byExperiment.get(experimentId)!;
    const gotHash = resultHash!;
    const input = inputs.get(experimentId);
    const key = `${contentHash(input).hash}:${gotHash}`;
    let found = byInput.get(key);
    if (!found) byInput.set(key, (found = await locateOne(m, input, ref, gotHash)));
    if (found.stages) refs.byExperiment.set(experimentId, { ...ref, stages: found.stages });
    if (found.location) out.set(experimentId, found.location);
  }
  return out;
}
