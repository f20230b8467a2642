/** Every fault, by name. */
import type { Fault } from '../types.js';
import { clientKill } from './client-kill.js';
import { clusterFailover } from './cluster-failover.js';
import { clusterNodeRestart } from './cluster-node-restart.js';
import { clusterSlotMigration } from './cluster-slot-migration.js';
import { duplicateDelivery } from './duplicate-delivery.js';
import { hostileMessages } from './hostile-messages.js';
import { memoryFull } from './memory-full.js';
import { netToxic } from './net-toxic.js';
import { orchestratorKill } from './orchestrator-kill.js';
import { poisonMessage } from './poison-message.js';
import { redisPause } from './redis-pause.js';
import { redisRestart } from './redis-restart.js';
import { workerKill } from './worker-kill.js';
import { workerPause } from './worker-pause.js';
import { workerTerm } from './worker-term.js';
import { wrongTypeKey } from './wrong-type-key.js';

export const FAULTS: Record<string, Fault> = Object.fromEntries(
  [workerKill, workerPause, workerTerm, orchestratorKill, redisRestart, redisPause, clientKill, netToxic, poisonMessage, duplicateDelivery, wrongTypeKey, memoryFull, hostileMessages, clusterNodeRestart, clusterSlotMigration, clusterFailover].map((f) => [f.name, f]),
);
