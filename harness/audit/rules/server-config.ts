/** Server-level rules: eviction policy, unreadable configuration, truncated scans. */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';

export function serverConfigRule(f: AuditFacts): Finding[] {
  const out: Finding[] = [];
  if (f.maxmemoryPolicy !== null && f.maxmemoryPolicy !== 'noeviction') {
    out.push({
      code: 'EVICTION_POLICY',
      severity: 'critical',
      title: `maxmemory-policy is ${f.maxmemoryPolicy}: under memory pressure Redis silently evicts queue, pending and state keys`,
      evidence: { detail: [`maxmemory-policy ${f.maxmemoryPolicy}`] },
      fix: 'CONFIG SET maxmemory-policy noeviction (and size maxmemory for the backlog)',
    });
  }
  if (f.configError) {
    out.push({
      code: 'CONFIG_UNREADABLE',
      severity: 'warning',
      title: `cannot read maxmemory-policy (${f.configError}): eviction risk not checked`,
      evidence: { detail: [f.configError] },
      fix: 'grant the audit user +config|get, or check maxmemory-policy by hand',
    });
  }
  if (f.truncated) {
    out.push({
      code: 'SCAN_TRUNCATED',
      severity: 'warning',
      title: `the audit stopped after ${f.thresholds.maxKeys} keys; keys beyond were not examined`,
      evidence: { counts: { maxKeys: f.thresholds.maxKeys } },
      fix: 'raise --max-keys or narrow the audit with --prefix',
    });
  }
  return out;
}
