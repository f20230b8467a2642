import { InputError } from '../errors.js';
import { compareStrings, round6 } from './round.js';
import type { DocumentScore, Evidence } from './score-schema.js';
import { max, mean, min, pearson, stdev } from './statistics.js';
import {
  SYNTHESIS_KIND,
  type DimensionSummary,
  type FrameworkSummary,
  type Rejection,
  type Synthesis,
  type SynthesisDocument,
  type TermCount,
} from './synthesis-schema.js';

export interface SynthesisInput {
  readonly framework: FrameworkSummary;
  readonly rejected: readonly Rejection[];
  /** Every batch, in any order; batchCount is taken to be `batches.length`. */
  readonly batches: readonly { readonly batchIndex: number; readonly documents: readonly DocumentScore[] }[];
}

/** Dimension-weighted mean: Σ wᵢ·sᵢ / Σ wᵢ, rounded to 6 decimals. */
export function overallScore(scores: Readonly<Record<string, number>>, framework: FrameworkSummary): number {
  let num = 0;
  let den = 0;
  for (const d of framework.dimensions) {
    num += d.weight * (scores[d.id] ?? 0);
    den += d.weight;
  }
  return round6(num / den);
}

function termKey(e: { side: string; kind: string; term: string }): string {
  return `${e.side}\u0000${e.kind}\u0000${e.term}`;
}

/** Sums evidence counts per entry; ordered by count desc, then side, kind, term. */
export function aggregateTerms(evidence: readonly Pick<Evidence, 'term' | 'kind' | 'side' | 'count'>[]): TermCount[] {
  const byKey = new Map<string, TermCount>();
  for (const e of evidence) {
    const key = termKey(e);
    const prev = byKey.get(key);
    if (prev) prev.count += e.count;
    else byKey.set(key, { term: e.term, kind: e.kind, side: e.side, count: e.count });
  }
  return [...byKey.values()].sort(
    (a, b) => b.count - a.count || compareStrings(a.side, b.side) || compareStrings(a.kind, b.kind) || compareStrings(a.term, b.term),
  );
}

function stats(values: readonly number[]): { mean: number; stdev: number; min: number; max: number } {
  return { mean: round6(mean(values)), stdev: round6(stdev(values)), min: round6(min(values)), max: round6(max(values)) };
}

/**
 * Combines the scored batches into corpus-level statistics: per-dimension summary
 * (mean, population stdev, min, max, and the first document by id holding the min/max),
 * per-document overall score, ranking (overall descending, ties by id), and the Pearson
 * correlation matrix between dimensions.
 */
export function synthesise(input: SynthesisInput): Synthesis {
  const { framework } = input;
  const dims = framework.dimensions;
  const batches = [...input.batches].sort((a, b) => a.batchIndex - b.batchIndex);

  const docs: SynthesisDocument[] = [];
  const seen = new Set<string>();
  for (const batch of batches) {
    for (const doc of batch.documents) {
      if (seen.has(doc.id)) throw new InputError('INVALID_INPUT', `document ${doc.id} appears in more than one batch`, { id: doc.id });
      seen.add(doc.id);
      const scores: Record<string, number> = {};
      const evidence: SynthesisDocument['evidence'] = {};
      for (const d of dims) {
        const s = doc.scores[d.id];
        if (s === undefined) {
          throw new InputError('INVALID_INPUT', `document ${doc.id} has no score for dimension ${d.id}`, { id: doc.id, dimension: d.id });
        }
        scores[d.id] = s.score;
        evidence[d.id] = {
          for: s.for,
          against: s.against,
          matches: s.evidence.reduce((n, e) => n + e.count, 0),
          terms: aggregateTerms(s.evidence),
        };
      }
      docs.push({
        id: doc.id,
        title: doc.title,
        batchIndex: batch.batchIndex,
        wordCount: doc.wordCount,
        overall: overallScore(scores, framework),
        scores,
        evidence,
      });
    }
  }
  if (docs.length === 0) throw new InputError('INVALID_INPUT', 'cannot synthesise an empty corpus');
  docs.sort((a, b) => compareStrings(a.id, b.id));

  const dimensions: DimensionSummary[] = dims.map((d) => {
    const values = docs.map((doc) => doc.scores[d.id]);
    const s = stats(values);
    const allTerms = docs.flatMap((doc) => doc.evidence[d.id].terms);
    const terms = aggregateTerms(allTerms);
    return {
      id: d.id,
      name: d.name,
      weight: d.weight,
      ...s,
      minDoc: docs[values.indexOf(min(values))].id,
      maxDoc: docs[values.indexOf(max(values))].id,
      matches: terms.reduce((n, t) => n + t.count, 0),
      distinctTerms: terms.length,
      documentsWithEvidence: docs.filter((doc) => doc.evidence[d.id].matches > 0).length,
      terms,
    };
  });

  const ranking = [...docs]
    .sort((a, b) => b.overall - a.overall || compareStrings(a.id, b.id))
    .map((doc, i) => ({ rank: i + 1, id: doc.id, title: doc.title, overall: doc.overall }));

  const vectors = dims.map((d) => docs.map((doc) => doc.scores[d.id]));
  const matrix = vectors.map((x) => vectors.map((y) => round6(pearson(x, y))));

  return {
    kind: SYNTHESIS_KIND,
    framework,
    documentCount: docs.length,
    batchCount: batches.length,
    rejected: [...input.rejected].sort((a, b) => compareStrings(a.id, b.id)),
    batches: batches.map((b) => ({ batchIndex: b.batchIndex, documentIds: b.documents.map((doc) => doc.id) })),
    dimensions,
    documents: docs,
    overall: stats(docs.map((doc) => doc.overall)),
    ranking,
    correlations: { dimensions: dims.map((d) => d.id), matrix },
  };
}
