/** Every audit rule: pure functions of the facts, generic ones first. */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';
import { faninExperimentsRule } from './fanin-experiments.js';
import { faninHygieneRule } from './fanin-hygiene.js';
import { mixedPatternsRule } from './mixed-patterns.js';
import { serverConfigRule } from './server-config.js';
import { streamHealthRule } from './stream-health.js';

export const GENERIC_RULES = [serverConfigRule, streamHealthRule, mixedPatternsRule];
export const FANIN_RULES = [faninExperimentsRule, faninHygieneRule];

const ORDER = { critical: 0, warning: 1, info: 2 } as const;

export function applyRules(facts: AuditFacts, rules: readonly ((f: AuditFacts) => Finding[])[]): Finding[] {
  return rules.flatMap((r) => r(facts)).sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.code.localeCompare(b.code));
}
