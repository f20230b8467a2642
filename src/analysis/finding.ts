import { z } from 'zod';
import { compareStrings } from './round.js';

export const LENSES = ['statistical-consistency', 'evidence-coverage'] as const;
export type Lens = (typeof LENSES)[number];

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const findingSchema = z
  .object({
    /** Stable, unique id: `<lens-prefix>/<check>[/<dimension>][/<document>]`. */
    id: z.string().min(1),
    severity: z.enum(['info', 'warning', 'critical']),
    dimension: z.string().optional(),
    document: z.string().optional(),
    message: z.string().min(1),
  })
  .strict();
export type Finding = z.infer<typeof findingSchema>;

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Deterministic order: critical, warning, info; then by id. */
export function compareFindings(a: Pick<Finding, 'severity' | 'id'>, b: Pick<Finding, 'severity' | 'id'>): number {
  return severityRank(a.severity) - severityRank(b.severity) || compareStrings(a.id, b.id);
}

export function sortFindings<T extends Pick<Finding, 'severity' | 'id'>>(findings: readonly T[]): T[] {
  return [...findings].sort(compareFindings);
}

/** Formats a number for messages (fixed 6 decimals is noisy; 3 is enough to read). */
export function fmt(x: number): string {
  return x.toFixed(3);
}
