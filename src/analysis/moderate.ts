import { LENSES, compareFindings, severityRank, type Finding, type Lens } from './finding.js';
import { REPORT_SCHEMA_ID, type FinalReport, type ReportFinding, type Verdict } from './report-schema.js';
import { round6 } from './round.js';
import type { Synthesis } from './synthesis-schema.js';

export interface ReviewInput {
  readonly lens: Lens;
  readonly reviewer: number;
  readonly findings: readonly Finding[];
}

/** Overall mean below this (but ≥ 0) is a concern. */
export const CONCERN_MEAN = 0.25;
/** A share of documents with a negative overall score at or above this is a concern. */
export const CONCERN_NEGATIVE_SHARE = 0.25;

export const VERDICT_RULE =
  `unhealthy if overall mean < 0; otherwise concerns if overall mean < ${CONCERN_MEAN}, ` +
  `or any critical finding, or share of documents with negative overall >= ${CONCERN_NEGATIVE_SHARE}, ` +
  `or fewer than ${LENSES.length} reviews were considered; otherwise healthy`;

/** The verdict rule (see VERDICT_RULE). */
export function decideVerdict(basis: {
  overallMean: number;
  negativeShare: number;
  criticalCount: number;
  reviewsConsidered: number;
}): Verdict {
  if (basis.overallMean < 0) return 'unhealthy';
  if (
    basis.overallMean < CONCERN_MEAN ||
    basis.criticalCount > 0 ||
    basis.negativeShare >= CONCERN_NEGATIVE_SHARE ||
    basis.reviewsConsidered < LENSES.length
  ) {
    return 'concerns';
  }
  return 'healthy';
}

/**
 * Merges findings by id: a finding raised by several lenses is kept once, with the highest
 * severity, the first lens's message, and every raising lens listed in `raisedBy`.
 */
export function mergeFindings(reviews: readonly ReviewInput[]): ReportFinding[] {
  const byId = new Map<string, ReportFinding>();
  const ordered = [...reviews].sort((a, b) => LENSES.indexOf(a.lens) - LENSES.indexOf(b.lens));
  for (const review of ordered) {
    for (const f of review.findings) {
      const prev = byId.get(f.id);
      if (prev === undefined) {
        byId.set(f.id, { ...f, raisedBy: [review.lens] });
        continue;
      }
      if (!prev.raisedBy.includes(review.lens)) prev.raisedBy.push(review.lens);
      if (severityRank(f.severity) < severityRank(prev.severity)) prev.severity = f.severity;
    }
  }
  return [...byId.values()].sort(compareFindings);
}

/**
 * Reconciles the available reviews with the synthesis into the final report. A missing
 * lens is recorded in `reviewsMissing` and as a moderation warning.
 */
export function moderate(synthesis: Synthesis, synthesisHash: string, reviews: readonly ReviewInput[]): FinalReport {
  const present = new Set(reviews.map((r) => r.lens));
  const reviewsMissing = LENSES.filter((l) => !present.has(l));
  const findings = mergeFindings(reviews);
  for (const lens of reviewsMissing) {
    const others = LENSES.filter((l) => present.has(l)).join(', ');
    findings.push({
      id: `moderation/missing-review/${lens}`,
      severity: 'warning',
      message: `the ${lens} review is missing; this report considers only: ${others}`,
      raisedBy: ['moderation'],
    });
  }
  findings.sort(compareFindings);

  const criticalCount = findings.filter((f) => f.severity === 'critical').length;
  const warningCount = findings.filter((f) => f.severity === 'warning').length;
  const negative = synthesis.documents.filter((d) => d.overall < 0).length;
  const basis = {
    overallMean: synthesis.overall.mean,
    negativeShare: round6(negative / synthesis.documents.length),
    criticalCount,
    warningCount,
    reviewsConsidered: reviews.length,
    rule: VERDICT_RULE,
  };

  return {
    schema: REPORT_SCHEMA_ID,
    framework: { id: synthesis.framework.id, version: synthesis.framework.version, name: synthesis.framework.name },
    synthesisHash,
    documentCount: synthesis.documentCount,
    batchCount: synthesis.batchCount,
    rejected: synthesis.rejected,
    dimensions: synthesis.dimensions.map(({ terms: _terms, ...rest }) => rest),
    overall: synthesis.overall,
    ranking: synthesis.ranking,
    correlations: synthesis.correlations,
    findings,
    reviewsConsidered: [...reviews]
      .sort((a, b) => LENSES.indexOf(a.lens) - LENSES.indexOf(b.lens))
      .map((r) => ({ lens: r.lens, reviewer: r.reviewer, findingCount: r.findings.length })),
    reviewsMissing,
    verdict: decideVerdict(basis),
    verdictBasis: basis,
  };
}
