/** Every audit rule: pure functions of the facts, generic ones first. */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';
import { bullmqDelayedOverdueRule } from './bullmq-delayed-overdue.js';
import { bullmqNoWorkerRule } from './bullmq-no-worker.js';
import { bullmqSchedulerNoNextRule } from './bullmq-scheduler-no-next.js';
import { bullmqStalledActiveRule } from './bullmq-stalled-active.js';
import { bullmqStuckParentRule } from './bullmq-stuck-parent.js';
import { errorStatsRule } from './error-stats.js';
import { faninExperimentsRule } from './fanin-experiments.js';
import { faninHygieneRule } from './fanin-hygiene.js';
import { keyFamiliesRule } from './key-families.js';
import { mixedPatternsRule } from './mixed-patterns.js';
import { processingListsRule } from './processing-lists.js';
import { serverConfigRule } from './server-config.js';
import { streamHealthRule } from './stream-health.js';

/** BullMQ-aware rules: they judge only queues recognised from BullMQ's own key layout */
export const BULLMQ_RULES = [bullmqStuckParentRule, bullmqStalledActiveRule, bullmqNoWorkerRule, bullmqDelayedOverdueRule, bullmqSchedulerNoNextRule];
export const GENERIC_RULES = [serverConfigRule, errorStatsRule, streamHealthRule, mixedPatternsRule, keyFamiliesRule, processingListsRule, ...BULLMQ_RULES];
export const FANIN_RULES = [faninExperimentsRule, faninHygieneRule];
/**
 * Rules that compare keys with each other (a family's members, one queue name's keys, a list and
 * its owner's heartbeat): on a Redis Cluster they judge the facts of every master at once.
 */
export const CROSS_KEY_RULES: readonly AuditRuleFn[] = [mixedPatternsRule, keyFamiliesRule, processingListsRule];
type AuditRuleFn = (f: AuditFacts) => Finding[];

const ORDER = { critical: 0, warning: 1, info: 2 } as const;

export function applyRules(facts: AuditFacts, rules: readonly AuditRuleFn[]): Finding[] {
  return sortFindings(rules.flatMap((r) => r(facts)));
}

/** Critical first, then warning, then info; by code within a severity. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.code.localeCompare(b.code));
}
