/**
 * A rule's name for reports (`streamHealthRule` → `stream-health`), and a rule whose findings say
 * which rule found them (`Finding.rule`): JUnit has one testcase per rule, Prometheus counts
 * findings by rule.
 */
import type { AuditFacts } from './audit-facts.js';
import type { Finding } from './audit-types.js';

export type AuditRule = (facts: AuditFacts) => Finding[];

/** The findings the cluster topology itself reports (CLUSTER_REPLICA_GIVEN). */
export const CLUSTER_RULE = 'cluster';

export function ruleName(rule: AuditRule): string {
  const base = rule.name.replace(/Rule$/, '') || 'rule';
  return base.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** The same rule, each of its findings tagged with the rule's name. */
export function namedRule(rule: AuditRule): AuditRule {
  const rule_ = ruleName(rule);
  return (facts) => rule(facts).map((f) => ({ ...f, rule: rule_ }));
}
