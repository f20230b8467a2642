import { fmt, sortFindings, type Finding } from './finding.js';
import { round6 } from './round.js';
import type { Synthesis } from './synthesis-schema.js';

/** Lexicon matches per 100 words below which a document's scores rest on too little text. */
export const MIN_EVIDENCE_PER_100_WORDS = 2;
/** A dimension with evidence in fewer than this share of documents is sparse. */
export const SPARSE_DIMENSION_SHARE = 0.5;
/** A term supplying more than this share of a dimension's matches dominates it. */
export const DOMINANT_TERM_SHARE = 0.5;

const P = 'evidence';

/** Total matches per 100 words (0 for a document without words). */
export function evidenceDensity(matches: number, wordCount: number): number {
  return wordCount === 0 ? 0 : round6((matches * 100) / wordCount);
}

function documentChecks(s: Synthesis): Finding[] {
  const out: Finding[] = [];
  const dimIds = s.framework.dimensions.map((d) => d.id);
  for (const doc of s.documents) {
    const empty = dimIds.filter((id) => (doc.evidence[id]?.matches ?? 0) === 0);
    const matches = dimIds.reduce((n, id) => n + (doc.evidence[id]?.matches ?? 0), 0);
    if (empty.length === dimIds.length) {
      out.push({
        id: `${P}/no-evidence-document/${doc.id}`,
        severity: 'critical',
        document: doc.id,
        message: `${doc.id} has no lexicon match on any dimension; its scores carry no information`,
      });
      continue;
    }
    if (empty.length > 0) {
      out.push({
        id: `${P}/no-evidence/${doc.id}`,
        severity: 'info',
        document: doc.id,
        message: `${doc.id} has no evidence on ${empty.length} of ${dimIds.length} dimensions (${empty.join(', ')}); those scores are 0 by default`,
      });
    }
    const density = evidenceDensity(matches, doc.wordCount);
    if (density < MIN_EVIDENCE_PER_100_WORDS) {
      out.push({
        id: `${P}/low-density/${doc.id}`,
        severity: 'warning',
        document: doc.id,
        message: `${doc.id} has ${matches} matches in ${doc.wordCount} words (${fmt(density)} per 100 words < ${MIN_EVIDENCE_PER_100_WORDS})`,
      });
    }
  }
  return out;
}

function dimensionChecks(s: Synthesis): Finding[] {
  const out: Finding[] = [];
  for (const d of s.dimensions) {
    if (d.distinctTerms === 0) {
      out.push({
        id: `${P}/no-evidence-dimension/${d.id}`,
        severity: 'critical',
        dimension: d.id,
        message: `no lexicon entry of ${d.id} matched any document; its scores are all 0`,
      });
      continue;
    }
    if (d.distinctTerms === 1) {
      out.push({
        id: `${P}/single-term/${d.id}`,
        severity: 'warning',
        dimension: d.id,
        message: `every ${d.id} score rests on a single lexicon entry ("${d.terms[0]?.term ?? ''}")`,
      });
    } else {
      const top = d.terms[0];
      if (top !== undefined && d.matches > 0 && top.count / d.matches > DOMINANT_TERM_SHARE) {
        out.push({
          id: `${P}/dominant-term/${d.id}`,
          severity: 'info',
          dimension: d.id,
          message: `"${top.term}" supplies ${top.count} of ${d.matches} ${d.id} matches`,
        });
      }
    }
    const share = s.documentCount === 0 ? 0 : d.documentsWithEvidence / s.documentCount;
    if (share < SPARSE_DIMENSION_SHARE) {
      out.push({
        id: `${P}/sparse-dimension/${d.id}`,
        severity: 'warning',
        dimension: d.id,
        message: `${d.id} has evidence in only ${d.documentsWithEvidence} of ${s.documentCount} documents`,
      });
    }
  }
  return out;
}

function summary(s: Synthesis): Finding[] {
  const matches = s.dimensions.reduce((n, d) => n + d.matches, 0);
  const words = s.documents.reduce((n, d) => n + d.wordCount, 0);
  return [
    {
      id: `${P}/summary`,
      severity: 'info',
      message: `${matches} lexicon matches in ${words} words (${fmt(evidenceDensity(matches, words))} per 100 words)`,
    },
  ];
}

/**
 * Evidence-coverage lens: is each score backed by enough, and varied enough, evidence?
 * Flags documents without evidence on some (info) or all (critical) dimensions, documents
 * with low match density, dimensions resting on one term or with evidence in few documents.
 */
export function reviewEvidenceCoverage(s: Synthesis): Finding[] {
  return sortFindings([...documentChecks(s), ...dimensionChecks(s), ...summary(s)]);
}
