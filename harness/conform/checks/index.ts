/** The conformance checks by name; a scenario lists the ones that judge it. */
import { auditFindingsCheck } from './audit-findings.js';
import { completionCheck } from './completion.js';
import { exactlyOnceCheck } from './exactly-once.js';
import { failureHandlingCheck } from './failure-handling.js';
import { fanInOrderCheck } from './fan-in-order.js';
import { taskOutputsCheck } from './task-outputs.js';
import type { Check } from './types.js';

export const CHECKS = {
  completion: completionCheck,
  'task-outputs': taskOutputsCheck,
  'exactly-once': exactlyOnceCheck,
  'fan-in-order': fanInOrderCheck,
  'failure-handling': failureHandlingCheck,
  audit: auditFindingsCheck,
} satisfies Record<string, Check>;

export type CheckName = keyof typeof CHECKS;
export const ALL_CHECKS = Object.keys(CHECKS) as CheckName[];
export type { Check, CheckInput } from './types.js';
