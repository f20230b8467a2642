/** What the audit read about each BullMQ queue (inspect-bullmq.ts); the BullMQ rules are pure functions of it. */

export interface BullJobRef {
  id: string;
  /** the job hash's key */
  key: string;
}

/** The options a child of a flow can carry about its own failure (stored in its `parent` field and `opts`). */
export interface BullChildFailureOptions {
  failParentOnFailure: boolean;
  ignoreDependencyOnFailure: boolean;
  continueParentOnFailure: boolean;
  removeDependencyOnFailure: boolean;
}

export interface BullBlockingChild extends BullJobRef {
  /** failed: in its queue's failed set for good; missing: its job hash does not exist */
  state: 'failed' | 'missing';
  failedReason: string | null;
  options: BullChildFailureOptions | null;
}

export interface BullStuckParent {
  parent: BullJobRef;
  /** its queue's base (`<prefix>:<queue>`) */
  queue: string;
  /** dependencies still pending */
  pending: number;
  blocking: BullBlockingChild[];
}

export interface BullQueueFacts {
  /** `<prefix>:<queue>` */
  base: string;
  paused: boolean;
  counts: { wait: number; active: number; delayed: number; waitingChildren: number; failed: number; prioritized: number; schedulers: number };
  /** the stalled-check key exists: a worker ran BullMQ's stalled-job check within its interval */
  stalledCheckAlive: boolean;
  /** time of the newest entry of the events stream (every job move adds one) */
  lastEventMs: number | null;
  /** the job that has waited longest, with its creation time */
  oldestWaiting: (BullJobRef & { timestampMs: number | null }) | null;
  /** active jobs (sampled) whose lock key is gone */
  activeWithoutLock: (BullJobRef & { processedOnMs: number | null })[];
  /** delayed jobs due before `now - idleAgeMs` (count, and the earliest ones) */
  overdueDelayed: { count: number; earliest: (BullJobRef & { dueMs: number })[] };
  /** parents in waiting-children blocked for good by a child */
  stuckParents: BullStuckParent[];
  /** job schedulers whose next job does not exist */
  schedulersWithoutNext: { id: string; key: string; nextMs: number; nextJobKey: string }[];
}
