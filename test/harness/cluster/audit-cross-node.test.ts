/**
 * Red-team review of issue 15's cluster coverage: the generic rules compare keys with each other
 * (siblings of a key family, one queue name under two namespaces, a processing list and its
 * owner's heartbeat key), and on a Redis Cluster those keys lie on different masters unless they
 * share a hash tag. Each layout below is placed key by key on chosen masters (by CRC16 slot) of a
 * real local cluster (3 masters), and the same keys on a single redis-server are the control:
 * the cluster audit must judge them as the single-server audit does. Plus `--max-keys` bounds
 * the whole audit, not each master.
 */
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../../harness/audit/audit-types.js';
import { runAudit } from '../../../harness/audit/run-audit.js';
import { crc16Slot } from '../../../src/shard-tags.js';
import { useCluster } from '../../support/cluster.js';
import { useRedis } from '../../support/redis.js';

const c = useCluster();
const single = useRedis();

/** slot ranges → master port (CLUSTER SLOTS of one master). */
let owners: [number, number, number][] = [];
const masterOf = (key: string) => owners.find(([from, to]) => crc16Slot(key) >= from && crc16Slot(key) <= to)![2];

/** The first name `make(i)` (i = 0, 1, ...) whose slot lies on master `port`. */
function nameOn(port: number, make: (i: number) => string, taken: Set<string>): string {
  for (let i = 0; ; i++) {
    const k = make(i);
    if (!taken.has(k) && masterOf(k) === port) return taken.add(k), k;
  }
}

type Put = (r: Redis, key: string) => Promise<unknown>;

/** Writes each [port, put, key] on that master and the same key on the single server. */
async function place(items: [number, Put, string][]): Promise<void> {
  for (const [port, put, key] of items) {
    const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
    await r.connect();
    await put(r, key);
    r.disconnect();
    await put(single.client, key);
  }
}

const expiring: Put = (r, k) => r.set(k, 'x', 'EX', 3600);
const forever: Put = (r, k) => r.set(k, 'x');
const list: Put = (r, k) => r.rpush(k, 'job-1', 'job-2');
const stream: Put = (r, k) => r.xadd(k, '*', 'job', '1');

let clusterReport: AuditReport;
let singleReport: AuditReport;
const taken = new Set<string>();

beforeAll(async () => {
  const r = new Redis({ host: '127.0.0.1', port: c.masters[0], lazyConnect: true });
  await r.connect();
  owners = ((await r.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][]).map(([from, to, [, port]]) => [from, to, port]);
  r.disconnect();
  const [m0, m1, m2] = c.masters;
  const items: [number, Put, string][] = [];
  // a key family: 6 members expire (on m1, m2), 2 never do (on m0): a leak
  for (const port of [m1, m1, m1, m2, m2, m2]) items.push([port, expiring, nameOn(port, (i) => `sess:${i}:token`, taken)]);
  for (const port of [m0, m0]) items.push([port, forever, nameOn(port, (i) => `sess:${i}:token`, taken)]);
  // one queue name, a list under one namespace (m0) and a stream under another (m1)
  items.push([m0, list, nameOn(m0, (i) => `alpha${'x'.repeat(i)}:orders.tasks`, taken)]);
  items.push([m1, stream, nameOn(m1, (i) => `beta${'y'.repeat(i)}:orders.tasks`, taken)]);
  // processing lists with items whose owners' heartbeats exist, on another master
  for (const w of ['wa', 'wb']) {
    const proc = nameOn(m2, (i) => `shop:processing:${w}${'q'.repeat(i)}`, taken);
    const owner = proc.slice(proc.lastIndexOf(':') + 1);
    const hbPort = masterOf(`shop:heartbeat:${owner}`);
    items.push([m2, list, proc], [hbPort, expiring, `shop:heartbeat:${owner}`]);
  }
  await place(items);
  clusterReport = await runAudit({ redis: `redis://127.0.0.1:${c.masters[0]}` });
  singleReport = await runAudit({ redis: single.url });
}, 60_000);

const codes = (r: AuditReport, code: string) => r.findings.filter((f) => f.code === code).length;

describe('generic rules across the masters of a cluster', () => {
  it('the control: the single server holds every key and judges them', () => {
    expect(singleReport.keysScanned).toBe(clusterReport.keysScanned);
    expect(codes(singleReport, 'KEY_FAMILY_WITHOUT_TTL')).toBe(1);
    expect(codes(singleReport, 'MIXED_COORDINATION')).toBe(1);
    expect(codes(singleReport, 'LIST_PROCESSING_NO_HEARTBEAT')).toBe(0);
  });

  it('a key family whose TTL-less members sit on another master than their expiring siblings: KEY_FAMILY_WITHOUT_TTL', () => {
    expect(codes(clusterReport, 'KEY_FAMILY_WITHOUT_TTL')).toBe(1);
  });

  it('one queue name as a list on one master and a stream on another: MIXED_COORDINATION', () => {
    expect(codes(clusterReport, 'MIXED_COORDINATION')).toBe(1);
  });

  it('processing lists whose owners heartbeat on another master: no LIST_PROCESSING_NO_HEARTBEAT', () => {
    expect(clusterReport.findings.filter((f) => f.code === 'LIST_PROCESSING_NO_HEARTBEAT').map((f) => f.title)).toEqual([]);
  });

  it('--max-keys 5 bounds the whole cluster audit, not each master', async () => {
    const r = await runAudit({ redis: `redis://127.0.0.1:${c.masters[0]}`, maxKeys: 5 });
    expect({ truncated: r.truncated, keysScanned: r.keysScanned }).toEqual({ truncated: true, keysScanned: 5 });
  });
});
