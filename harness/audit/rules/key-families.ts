/** Key families where some members expire and others do not: the ones without a TTL leak. */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';
import { unionOf } from './node-union.js';

export function keyFamiliesRule(f: AuditFacts): Finding[] {
  return f.keyFamilies.map((fam) => ({
    code: 'KEY_FAMILY_WITHOUT_TTL',
    severity: 'warning' as const,
    title: `${fam.withoutTtl} of ${fam.withTtl + fam.withoutTtl} keys of family ${fam.pattern} have no TTL while their siblings expire: a leak`,
    evidence: {
      keys: fam.examples, counts: { withoutTtl: fam.withoutTtl, withTtl: fam.withTtl },
      detail: [`family ${fam.pattern}`, ...(fam.nodes ? [`without TTL on ${fam.nodes.withoutTtl.join(', ')}; with TTL on ${fam.nodes.withTtl.join(', ')}`] : [])],
      ...(fam.nodes ? { nodes: unionOf(fam.nodes.withoutTtl, fam.nodes.withTtl) } : {}),
    },
    fix: 'write these keys with their TTL (SET ... PX, or PEXPIRE in the same MULTI/script) like their siblings; PEXPIRE the ones already there',
  }));
}
