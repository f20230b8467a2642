/**
 * The lifecycle event catalog at run time: every `LifecycleEventType` of the core, checked
 * by the compiler (a type added to or removed from src/events.ts breaks this object), so a
 * scenario's trigger can be validated when it loads.
 */
import type { LifecycleEventType } from '../../src/index.js';

const CATALOG = {
  submitted: true,
  enqueued: true,
  claimed: true,
  completed: true,
  acked: true,
  retried: true,
  reclaimed: true,
  'dead-lettered': true,
  'stage-advanced': true,
  'experiment-completed': true,
  'experiment-failed': true,
  'duplicate-ignored': true,
  cancelled: true,
  'lease-renewed': true,
  'consumer-removed': true,
  'experiment-retired': true,
  'worker-started': true,
  'worker-stopped': true,
} as const satisfies Record<LifecycleEventType, true>;

export const LIFECYCLE_EVENT_TYPES = Object.keys(CATALOG) as [LifecycleEventType, ...LifecycleEventType[]];
