/** Server-level rules: eviction policy (CONFIG GET, else INFO memory), unreadable configuration, truncated scans. */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';

export function serverConfigRule(f: AuditFacts): Finding[] {
  const out: Finding[] = [];
  if (f.maxmemoryPolicy !== null && f.maxmemoryPolicy !== 'noeviction') {
    out.push({
      code: 'EVICTION_POLICY',
      severity: 'critical',
      title: `maxmemory-policy is ${f.maxmemoryPolicy}: under memory pressure Redis silently evicts queue, pending and state keys`,
      evidence: { detail: [`maxmemory-policy ${f.maxmemoryPolicy}${f.maxmemoryPolicySource === 'info' ? ' (from INFO memory; CONFIG GET refused)' : ''}`] },
      fix: 'CONFIG SET maxmemory-policy noeviction (and size maxmemory for the backlog)',
    });
  }
  // INFO memory told the policy: CONFIG GET's refusal hides nothing
  if (f.configError && f.maxmemoryPolicy === null) {
    out.push({
      code: 'CONFIG_UNREADABLE',
      severity: 'warning',
      title: `cannot read maxmemory-policy (${f.configError}): eviction risk not checked`,
      evidence: { detail: [f.configError] },
      fix: 'grant the audit user +info (INFO memory shows maxmemory_policy) or +config|get, or check maxmemory-policy by hand',
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
