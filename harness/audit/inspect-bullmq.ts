/**
 * Read-only facts about each BullMQ queue the scan recognised (docs/audit-bullmq.md pins the
 * layout): counts, whether a worker's stalled check ran recently, the oldest waiting job, active
 * jobs without a lock, overdue delayed jobs, parents blocked for good in waiting-children, job
 * schedulers without a next job. Bounded by `cap` entries per set; pipelined.
 */
import type { Redis } from 'ioredis';
import type { BullBlockingChild, BullChildFailureOptions, BullJobRef, BullQueueFacts, BullStuckParent } from './bullmq-facts.js';
import { pipelined } from './pipelined.js';

/** BullMQ's delayed score: due time × 0x1000 plus a counter (includes/getDelayedScore.lua) */
const DELAY_FACTOR = 0x1000;

interface Opts {
  now: number;
  idleAgeMs: number;
  cap: number;
}

const job = (base: string, id: string): BullJobRef => ({ id, key: `${base}:${id}` });
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));

function parseJson(raw: string | null): Record<string, unknown> {
  try {
    const v = raw ? (JSON.parse(raw) as unknown) : null;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A child's failure options from its `parent` field (fpof...) and its `opts` (encoded or not). */
export function childFailureOptions(parentField: string | null, optsField: string | null): BullChildFailureOptions {
  const p = parseJson(parentField);
  const o = parseJson(optsField);
  const on = (short: string, long: string) => Boolean(p[short] ?? o[short] ?? o[long]);
  return {
    failParentOnFailure: on('fpof', 'failParentOnFailure'),
    ignoreDependencyOnFailure: on('idof', 'ignoreDependencyOnFailure'),
    continueParentOnFailure: on('cpof', 'continueParentOnFailure'),
    removeDependencyOnFailure: on('rdof', 'removeDependencyOnFailure'),
  };
}

/** The children of one parent that block it for good (failed for good, or gone). */
async function blockingChildren(redis: Redis, childKeys: string[]): Promise<BullBlockingChild[]> {
  type Child = { key: string; base: string; id: string };
  const split: Child[] = childKeys.map((key) => ({ key, base: key.slice(0, key.lastIndexOf(':')), id: key.slice(key.lastIndexOf(':') + 1) }));
  const exists = await pipelined<number | null, Child>(redis, split, (p, c) => p.exists(c.key));
  const failed = await pipelined<string | null, Child>(redis, split, (p, c) => p.zscore(`${c.base}:failed`, c.id));
  const fields = await pipelined<(string | null)[] | null, Child>(redis, split, (p, c) => p.hmget(c.key, 'failedReason', 'parent', 'opts'));
  const out: BullBlockingChild[] = [];
  split.forEach((c, i) => {
    const [failedReason, parent, opts] = fields[i] ?? [null, null, null];
    if (exists[i] === 0) out.push({ id: c.id, key: c.key, state: 'missing', failedReason: null, options: null });
    else if (failed[i] !== null) out.push({ id: c.id, key: c.key, state: 'failed', failedReason: failedReason ?? null, options: childFailureOptions(parent ?? null, opts ?? null) });
  });
  return out;
}

async function stuckParents(redis: Redis, base: string, cap: number): Promise<BullStuckParent[]> {
  const ids = await redis.zrange(`${base}:waiting-children`, 0, cap - 1);
  const deps = await pipelined<string[] | null>(redis, ids, (p, id) => p.smembers(`${base}:${id}:dependencies`));
  const out: BullStuckParent[] = [];
  for (const [i, id] of ids.entries()) {
    const children = (deps[i] ?? []).slice(0, cap);
    const blocking = await blockingChildren(redis, children);
    if (blocking.length > 0) out.push({ parent: job(base, id), queue: base, pending: (deps[i] ?? []).length, blocking });
  }
  return out;
}

async function activeWithoutLock(redis: Redis, base: string, cap: number): Promise<BullQueueFacts['activeWithoutLock']> {
  const ids = await redis.lrange(`${base}:active`, 0, cap - 1);
  const locks = await pipelined<number | null>(redis, ids, (p, id) => p.exists(`${base}:${id}:lock`));
  const unlocked = ids.filter((_, i) => locks[i] === 0);
  const processedOn = await pipelined<string | null>(redis, unlocked, (p, id) => p.hget(`${base}:${id}`, 'processedOn'));
  return unlocked.map((id, i) => ({ ...job(base, id), processedOnMs: num(processedOn[i]) }));
}

async function schedulersWithoutNext(redis: Redis, base: string, cap: number): Promise<BullQueueFacts['schedulersWithoutNext']> {
  const flat = await redis.zrange(`${base}:repeat`, 0, cap - 1, 'WITHSCORES');
  type Scheduler = BullQueueFacts['schedulersWithoutNext'][number];
  const s: Scheduler[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const nextMs = Number(flat[i + 1]);
    s.push({ id: flat[i], key: `${base}:repeat:${flat[i]}`, nextMs, nextJobKey: `${base}:repeat:${flat[i]}:${nextMs}` });
  }
  const exists = await pipelined<number | null, Scheduler>(redis, s, (p, x) => p.exists(x.nextJobKey));
  return s.filter((_, i) => exists[i] === 0);
}

/** Facts of one BullMQ queue, `base` being `<prefix>:<queue>` as text. */
export async function inspectBullQueue(redis: Redis, base: string, o: Opts): Promise<BullQueueFacts> {
  const overdueBefore = (o.now - o.idleAgeMs) * DELAY_FACTOR;
  const p = redis.pipeline();
  p.hget(`${base}:meta`, 'paused');
  p.llen(`${base}:wait`).llen(`${base}:active`).zcard(`${base}:delayed`).zcard(`${base}:waiting-children`);
  p.zcard(`${base}:failed`).zcard(`${base}:prioritized`).zcard(`${base}:repeat`);
  p.exists(`${base}:stalled-check`);
  p.xrevrange(`${base}:events`, '+', '-', 'COUNT', 1);
  p.lindex(`${base}:wait`, -1);
  p.zcount(`${base}:delayed`, '-inf', `(${overdueBefore}`);
  p.zrangebyscore(`${base}:delayed`, '-inf', `(${overdueBefore}`, 'WITHSCORES', 'LIMIT', 0, 5);
  const r = ((await p.exec()) ?? []).map(([err, v]) => (err ? null : v));
  const [paused, wait, active, delayed, waitingChildren, failed, prioritized, schedulers, stalledCheck, lastEvent, oldestId, overdueCount, overdue] = r;
  const lastId = (lastEvent as [string, string[]][] | null)?.[0]?.[0];
  const oldest = typeof oldestId === 'string' ? oldestId : null;
  const earliest: BullQueueFacts['overdueDelayed']['earliest'] = [];
  const flat = (overdue as string[] | null) ?? [];
  for (let i = 0; i + 1 < flat.length; i += 2) earliest.push({ ...job(base, flat[i]), dueMs: Math.floor(Number(flat[i + 1]) / DELAY_FACTOR) });
  return {
    base,
    paused: paused === '1',
    counts: {
      wait: Number(wait ?? 0), active: Number(active ?? 0), delayed: Number(delayed ?? 0), waitingChildren: Number(waitingChildren ?? 0),
      failed: Number(failed ?? 0), prioritized: Number(prioritized ?? 0), schedulers: Number(schedulers ?? 0),
    },
    stalledCheckAlive: stalledCheck === 1,
    lastEventMs: lastId ? Number(lastId.split('-')[0]) : null,
    oldestWaiting: oldest ? { ...job(base, oldest), timestampMs: num(await redis.hget(`${base}:${oldest}`, 'timestamp')) } : null,
    activeWithoutLock: Number(active ?? 0) > 0 ? await activeWithoutLock(redis, base, o.cap) : [],
    overdueDelayed: { count: Number(overdueCount ?? 0), earliest },
    stuckParents: Number(waitingChildren ?? 0) > 0 ? await stuckParents(redis, base, o.cap) : [],
    schedulersWithoutNext: Number(schedulers ?? 0) > 0 ? await schedulersWithoutNext(redis, base, o.cap) : [],
  };
}
