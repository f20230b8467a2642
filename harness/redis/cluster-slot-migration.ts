/**
 * Moves one slot of a live cluster from one master to another the way `redis-cli --cluster
 * reshard` does, while clients keep working: SETSLOT IMPORTING on the target, MIGRATING on the
 * source, MIGRATE of its keys in small batches (clients meet ASK, and TRYAGAIN for multi-key
 * commands over a half-moved slot), then SETSLOT NODE on both ends and on every other master
 * (clients meet MOVED).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { withClient } from './cluster-node-client.js';

export interface SlotMigration {
  slot: number;
  /** port of the master serving the slot */
  from: number;
  /** port of the master to move it to */
  to: number;
  /** ports of every master (SETSLOT NODE goes to each) */
  masters: readonly number[];
  /** keys per MIGRATE (default 5) */
  batch?: number;
  /** pause between batches, so the pipeline keeps running mid-migration (default 20 ms) */
  pauseMs?: number;
  /** pause after the first batch instead (default pauseMs): holds the slot half-migrated longer than a client's own redirection retries */
  holdFirstMs?: number;
}

/** Replies of one node by error code since its start (INFO errorstats: ASK, TRYAGAIN, MOVED, …). */
export async function errorReplies(port: number): Promise<Record<string, number>> {
  const text = await withClient(port, (r) => r.info('errorstats'));
  return Object.fromEntries([...text.matchAll(/errorstat_([A-Z]+):count=(\d+)/g)].map(([, code, n]) => [code, Number(n)]));
}

/** Moves the slot; returns how many keys moved. */
export async function migrateSlot(m: SlotMigration): Promise<number> {
  const idOf = (port: number) => withClient(port, async (r) => String(await r.call('CLUSTER', 'MYID')));
  const [srcId, dstId] = [await idOf(m.from), await idOf(m.to)];
  await withClient(m.to, (r) => r.call('CLUSTER', 'SETSLOT', m.slot, 'IMPORTING', srcId));
  await withClient(m.from, (r) => r.call('CLUSTER', 'SETSLOT', m.slot, 'MIGRATING', dstId));
  let moved = 0;
  await withClient(m.from, async (src) => {
    for (;;) {
      const keys = (await src.call('CLUSTER', 'GETKEYSINSLOT', m.slot, m.batch ?? 5)) as string[];
      if (keys.length === 0) break;
      await src.call('MIGRATE', '127.0.0.1', m.to, '', 0, 5000, 'KEYS', ...keys);
      await sleep(moved === 0 && m.holdFirstMs !== undefined ? m.holdFirstMs : m.pauseMs ?? 20);
      moved += keys.length;
    }
  });
  // the target first: from then on the source answers MOVED instead of ASK
  for (const port of [m.to, m.from, ...m.masters.filter((p) => p !== m.from && p !== m.to)]) {
    await withClient(port, (r) => r.call('CLUSTER', 'SETSLOT', m.slot, 'NODE', dstId));
  }
  return moved;
}
