/** The audit as the tests call it, and lookups of its findings. */
import { expect } from 'vitest';
import { runAudit, type AuditOptions } from '../../../harness/audit/run-audit.js';
import type { AuditReport, Finding } from '../../../harness/audit/audit-types.js';

export function auditOf(url: string): (o?: Partial<AuditOptions>) => Promise<AuditReport> {
  return (o = {}) => runAudit({ redis: url, ...o });
}

/** The codes of the report's findings, sorted. */
export const codes = (r: AuditReport) => r.findings.map((f) => f.code).sort();

/** The one finding with `code` (fails the test when there is not exactly one). */
export function only(r: AuditReport, code: string): Finding {
  const fs = r.findings.filter((f) => f.code === code);
  expect(fs, `${code} in ${JSON.stringify(r.findings, null, 1)}`).toHaveLength(1);
  return fs[0];
}
