/**
 * What a scenario requires the system to do with what the nemesis did — declared as data in
 * the scenario's `expect`, verified by the `handling` checker against the nemesis record:
 *
 *   deadLettered: 'every-injected-poison'
 *       every message a fault wrote into a queue (poison-message, hostile-messages) ends in
 *       the dead letter with a reason — dropping it silently fails the run;
 *   redelivered: 'every-task-of-killed-worker'
 *       every task a SIGKILLed worker held (claimed, not ended by it) is delivered again to
 *       another worker and completed;
 *   lostWrites: 'at-failover'
 *       a cluster failover (the cluster-failover fault) may lose writes the killed master had
 *       acknowledged but not yet replicated: an agent may run again for a task whose success
 *       ended before the master was killed, the re-execution starting after it (the executions
 *       checker excuses exactly those, as `executions.after_failover`); results are still never
 *       counted twice and every experiment must end.
 */
import { z } from 'zod';

export const handlingSchema = z
  .object({
    deadLettered: z.enum(['every-injected-poison']).optional(),
    redelivered: z.enum(['every-task-of-killed-worker']).optional(),
    lostWrites: z.enum(['at-failover']).optional(),
  })
  .strict();

export type Handling = z.output<typeof handlingSchema>;
