/**
 * Everything the audit learns from the scan itself, aggregated key by key (the scan's
 * `visit`): key families and their TTLs, queue names by type, role mismatches, processing
 * lists and heartbeats, BullMQ's queue-level keys. Keeps for later inspection only the keys
 * that need it: streams (XINFO), keys of fanin keyspaces, processing lists. On a Redis Cluster
 * one aggregate is fed by every master's scan (`node` says which), so that keys compared with
 * each other (a family's members, a queue name's keys, a list and its owner's heartbeat) are
 * compared across masters.
 */
import { looksLikeFaninKey } from '../inspect-fanin.js';
import type { VisitedKey } from '../scan-keyspace.js';
import { BullmqLayout } from './bullmq-layout.js';
import { KeyFamilies } from './key-families.js';
import { QueueNames } from './queue-names.js';
import { RoleMismatches } from './role-mismatches.js';
import { WorkerLists } from './worker-lists.js';

export class KeyspaceAggregate {
  readonly families = new KeyFamilies();
  readonly queueNames = new QueueNames();
  readonly roles = new RoleMismatches();
  readonly workers = new WorkerLists();
  readonly bullmq = new BullmqLayout();
  /** the cluster master being scanned (set before each master's scan); null on a single server */
  node: string | null = null;

  /** The scan's visitor: aggregates the key, true when it must be kept. */
  readonly visit = (k: VisitedKey): boolean => {
    const fanin = looksLikeFaninKey(k.text);
    const node = this.node;
    this.roles.add(k.raw, k.text, k.type, node);
    // BullMQ's queue-level lists and events stream join the queue names only if no BullMQ queue confirms them
    if (!this.bullmq.add(k.raw, k.text, k.type, node)) this.queueNames.add(k.raw, k.text, k.type, node);
    // fanin keyspaces keep task data without a TTL while an experiment runs: the fanin rules judge them
    if (fanin) return true;
    this.families.add(k.raw, k.text, k.pttl, node);
    this.workers.add(k.raw, k.text, k.type, node);
    return k.type === 'stream';
  };

  /** After the scan: lookalikes of BullMQ keys that belong to no BullMQ queue are ordinary queues. */
  finish(): void {
    for (const k of this.bullmq.unconfirmed()) this.queueNames.add(k.raw, k.text, k.type, k.node);
  }
}
