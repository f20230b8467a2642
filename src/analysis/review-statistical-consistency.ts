import { fmt, sortFindings, type Finding } from './finding.js';
import { round6 } from './round.js';
import { max, mean, min } from './statistics.js';
import { overallScore } from './synthesise.js';
import type { Synthesis } from './synthesis-schema.js';

/** A dimension whose scores have a population stdev below this barely discriminates. */
export const LOW_VARIANCE_STDEV = 0.02;
/** Two dimensions with |r| above this measure (nearly) the same thing. */
export const HIGH_CORRELATION = 0.9;
/** Documents whose overall score is this many stdevs from the mean are reported as outliers. */
export const OUTLIER_Z = 2;
/** Tolerance when recomputing rounded values. */
const TOLERANCE = 2e-6;

const P = 'stat';

function differs(a: number, b: number): boolean {
  return Math.abs(a - b) > TOLERANCE;
}

function countChecks(s: Synthesis): Finding[] {
  const out: Finding[] = [];
  const critical = (what: string, message: string): void => {
    out.push({ id: `${P}/count-mismatch/${what}`, severity: 'critical', message });
  };
  if (s.documents.length !== s.documentCount) {
    critical('documents', `documentCount is ${s.documentCount} but ${s.documents.length} documents were scored`);
  }
  if (s.ranking.length !== s.documentCount) {
    critical('ranking', `documentCount is ${s.documentCount} but the ranking has ${s.ranking.length} entries`);
  }
  if (s.batches.length !== s.batchCount) {
    critical('batches', `batchCount is ${s.batchCount} but ${s.batches.length} batches were synthesised`);
  }
  const batchIds = s.batches.flatMap((b) => b.documentIds);
  if (batchIds.length !== s.documentCount) {
    critical('batch-documents', `batches hold ${batchIds.length} documents but documentCount is ${s.documentCount}`);
  }
  const docIds = new Set(s.documents.map((d) => d.id));
  const rankIds = new Set(s.ranking.map((r) => r.id));
  if (batchIds.some((id) => !docIds.has(id)) || new Set(batchIds).size !== batchIds.length) {
    critical('batch-ids', 'batch document ids do not match the scored documents one-to-one');
  }
  if (rankIds.size !== docIds.size || [...rankIds].some((id) => !docIds.has(id))) {
    critical('ranking-ids', 'ranking ids do not match the scored documents one-to-one');
  }
  return out;
}

function dimensionChecks(s: Synthesis): Finding[] {
  const out: Finding[] = [];
  for (const d of s.dimensions) {
    const values = s.documents.map((doc) => doc.scores[d.id] ?? 0);
    if (values.length === 0) continue;
    const byId = new Map(s.documents.map((doc) => [doc.id, doc.scores[d.id] ?? 0]));
    if (
      differs(d.mean, round6(mean(values))) ||
      differs(d.min, min(values)) ||
      differs(d.max, max(values)) ||
      d.min > d.mean + TOLERANCE ||
      d.mean > d.max + TOLERANCE ||
      differs(byId.get(d.minDoc) ?? Number.NaN, d.min) ||
      differs(byId.get(d.maxDoc) ?? Number.NaN, d.max)
    ) {
      out.push({
        id: `${P}/summary-mismatch/${d.id}`,
        severity: 'critical',
        dimension: d.id,
        message: `summary of ${d.id} (mean ${fmt(d.mean)}, min ${fmt(d.min)}, max ${fmt(d.max)}) does not match the document scores`,
      });
    }
    if (d.stdev < LOW_VARIANCE_STDEV) {
      out.push({
        id: `${P}/low-variance/${d.id}`,
        severity: 'warning',
        dimension: d.id,
        message: `${d.id} barely varies across documents (stdev ${fmt(d.stdev)} < ${LOW_VARIANCE_STDEV}); it does not discriminate`,
      });
    }
  }
  const { dimensions: ids, matrix } = s.correlations;
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const r = matrix[i]?.[j] ?? 0;
      if (Math.abs(r) > HIGH_CORRELATION) {
        out.push({
          id: `${P}/high-correlation/${ids[i]}~${ids[j]}`,
          severity: 'warning',
          dimension: ids[i],
          message: `${ids[i]} and ${ids[j]} are highly correlated (r = ${fmt(r)}); they may measure the same thing`,
        });
      }
    }
  }
  return out;
}

function rankingChecks(s: Synthesis): Finding[] {
  const out: Finding[] = [];
  for (const doc of s.documents) {
    const recomputed = overallScore(doc.scores, s.framework);
    if (differs(recomputed, doc.overall)) {
      out.push({
        id: `${P}/overall-mismatch/${doc.id}`,
        severity: 'critical',
        document: doc.id,
        message: `overall score of ${doc.id} is ${fmt(doc.overall)} but the weighted dimension scores give ${fmt(recomputed)}`,
      });
    }
  }
  const overallById = new Map(s.documents.map((d) => [d.id, d.overall]));
  const ordered = s.ranking.every(
    (r, i) =>
      r.rank === i + 1 &&
      !differs(r.overall, overallById.get(r.id) ?? Number.NaN) &&
      (i === 0 || s.ranking[i - 1].overall > r.overall || (s.ranking[i - 1].overall === r.overall && s.ranking[i - 1].id < r.id)),
  );
  if (!ordered) {
    out.push({ id: `${P}/ranking-order`, severity: 'critical', message: 'ranking is not ordered by overall score (descending, ties by id) or disagrees with document scores' });
  }
  const overalls = s.documents.map((d) => d.overall);
  if (overalls.length > 0) {
    const top = s.ranking[0];
    const bottom = s.ranking[s.ranking.length - 1];
    if (
      differs(s.overall.mean, round6(mean(overalls))) ||
      (top !== undefined && top.overall < s.overall.mean - TOLERANCE) ||
      (bottom !== undefined && bottom.overall > s.overall.mean + TOLERANCE)
    ) {
      out.push({
        id: `${P}/mean-ranking-disagree`,
        severity: 'critical',
        message: `overall mean ${fmt(s.overall.mean)} is inconsistent with the ranked document scores`,
      });
    }
    if (s.overall.stdev > 0) {
      for (const doc of s.documents) {
        const z = (doc.overall - s.overall.mean) / s.overall.stdev;
        if (Math.abs(z) >= OUTLIER_Z) {
          out.push({
            id: `${P}/outlier/${doc.id}`,
            severity: 'info',
            document: doc.id,
            message: `${doc.id} is an outlier (overall ${fmt(doc.overall)}, z = ${fmt(z)})`,
          });
        }
      }
    }
  }
  return out;
}

function summaryFindings(s: Synthesis): Finding[] {
  if (s.dimensions.length === 0) return [];
  const byMean = [...s.dimensions].sort((a, b) => b.mean - a.mean || (a.id < b.id ? -1 : 1));
  const strongest = byMean[0];
  const weakest = byMean[byMean.length - 1];
  return [
    {
      id: `${P}/summary`,
      severity: 'info',
      message: `${s.documentCount} documents in ${s.batchCount} batches; overall mean ${fmt(s.overall.mean)} (stdev ${fmt(s.overall.stdev)})`,
    },
    {
      id: `${P}/strongest-dimension`,
      severity: 'info',
      dimension: strongest.id,
      message: `highest mean score: ${strongest.id} (${fmt(strongest.mean)})`,
    },
    {
      id: `${P}/weakest-dimension`,
      severity: 'info',
      dimension: weakest.id,
      message: `lowest mean score: ${weakest.id} (${fmt(weakest.mean)})`,
    },
  ];
}

/**
 * Statistical-consistency lens: do the numbers add up (counts, recomputed summaries, ranking
 * order, overall mean vs ranking) and are the dimensions informative (variance, redundancy)?
 */
export function reviewStatisticalConsistency(s: Synthesis): Finding[] {
  return sortFindings([...countChecks(s), ...dimensionChecks(s), ...rankingChecks(s), ...summaryFindings(s)]);
}
