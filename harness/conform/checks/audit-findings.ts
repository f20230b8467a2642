/** Nothing pending afterwards: critical findings of the read-only audit of the system's keyspace. */
import type { CheckInput } from './types.js';

export function auditFindingsCheck(input: CheckInput): string[] {
  if (input.audit === null) return [];
  return input.audit
    .filter((f) => f.severity === 'critical')
    .map((f) => {
      const keys = f.evidence.keys?.length ? ` (keys ${f.evidence.keys.slice(0, 5).join(', ')}${f.evidence.keys.length > 5 ? ', …' : ''})` : '';
      return `audit of the system's keyspace: ${f.code}: ${f.title}${keys}; fix: ${f.fix}`;
    });
}
