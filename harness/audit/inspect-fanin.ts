/**
 * fanin-aware facts about each fanin keyspace found in a Redis: its transport, experiments,
 * which tasks are alive somewhere (queued, pending, processing or waiting for a retry), dead
 * workers' processing lists, task data without a TTL, dead letters, wrong-type keys.
 * Read-only and bounded by `cap` entries per queue.
 */
import type { Redis } from 'ioredis';
import { EXPERIMENT_STATE_FIELDS, expectedKeyType, experimentStateFromFields, type ExperimentState, type KeyDescription, Keyspace } from '../../src/index.js';
import { compareIds, type StreamFacts } from './inspect-stream.js';
import type { ScannedKey } from './scan-keyspace.js';
import { siblingKey } from './key-name.js';
import { untimedTaskKeys } from './untimed-task-keys.js';

export interface FaninKeyspaceFacts {
  prefix: string;
  transport: 'streams' | 'lists';
  experiments: ExperimentState[];
  /** finished task indexes of each running experiment's current stage */
  finished: Map<string, Set<number>>;
  /** task ids present in a queue, pending list, processing list or delayed zset */
  alive: Set<string>;
  /** true when a queue held more than `cap` live entries: "stuck" cannot be concluded */
  aliveIncomplete: boolean;
  deadWorkerLists: { key: string; workerId: string; stage: string; length: number }[];
  tasksWithoutTtl: string[];
  taskKeys: number;
  deadLetters: { key: string; length: number; reasons: Record<string, number> }[];
  wrongTypes: { key: string; actual: string; expected: string }[];
}

// the hash tag is `{<prefix>:<shard>}` or, slot-aware (src/shard-tags.ts), `{<prefix>:<shard>:<n>}`
const FANIN_KEY = /^(.+?):\{\1:(\d+)(?::\d+)?\}:(exp|res|done|task|art|q|proc|workers|hb|delayed|deadlines|dead)(:|$)/s;

/** True when a key (latin1 text) has a fanin keyspace's shape (the scan keeps these). */
export function looksLikeFaninKey(text: string): boolean {
  // the cheap test first: the scan asks for every key
  return text.includes(':{') && FANIN_KEY.test(text);
}

/** True when a Keyspace can have this prefix and shard (others only look like fanin keys). */
function possibleKeyspace(prefix: string, shard: number): boolean {
  try {
    new Keyspace({ prefix, shards: shard + 1 });
    return true;
  } catch {
    return false;
  }
}

/** Prefixes of fanin keyspaces among the keys, with their highest shard. */
export function detectFaninPrefixes(keys: readonly ScannedKey[]): Map<string, number> {
  const found = new Map<string, number>();
  for (const k of keys) {
    const m = FANIN_KEY.exec(k.text);
    if (m && possibleKeyspace(m[1], Number(m[2]))) found.set(m[1], Math.max(found.get(m[1]) ?? 0, Number(m[2])));
  }
  return found;
}

function taskIdOfRaw(raw: string): string | null {
  try {
    const t = (JSON.parse(raw) as { t?: unknown }).t;
    return typeof t === 'string' ? t : null;
  } catch {
    return null;
  }
}

function fieldsToMap(fields: string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) o[fields[i]] = fields[i + 1];
  return o;
}

/**
 * The keyspace's transport: the majority type of its stage queues; when none exists (an empty
 * list does not exist in Redis, so a drained lists keyspace has no queue key), of its done and
 * dead-letter keys; failing those, lists when a lists-only key exists (processing list, worker
 * set, heartbeat); else streams.
 */
function detectTransport(mine: readonly (ScannedKey & { d: KeyDescription })[]): 'streams' | 'lists' {
  for (const kinds of [['q'], ['done', 'dead']]) {
    const types = mine.filter((k) => kinds.includes(k.d.kind)).map((k) => k.type);
    const lists = types.filter((t) => t === 'list').length;
    const streams = types.filter((t) => t === 'stream').length;
    if (lists + streams > 0) return lists > streams ? 'lists' : 'streams';
  }
  return mine.some((k) => k.d.kind === 'proc' || k.d.kind === 'workers' || k.d.kind === 'hb') ? 'lists' : 'streams';
}

export async function inspectFanin(
  redis: Redis,
  prefix: string,
  maxShard: number,
  keys: readonly ScannedKey[],
  streams: ReadonlyMap<string, StreamFacts>,
  opts: { cap: number; maxExperiments: number },
): Promise<FaninKeyspaceFacts> {
  const ks = new Keyspace({ prefix, shards: maxShard + 1 });
  const mine: (ScannedKey & { d: KeyDescription })[] = [];
  for (const k of keys) {
    const d = ks.describe(k.text);
    if (d) mine.push({ ...k, d });
  }
  const transport = detectTransport(mine);
  const wrongTypes = mine
    .filter((k) => k.type !== 'none' && k.type !== expectedKeyType(k.d.kind, transport))
    .map((k) => ({ key: k.name, actual: k.type, expected: expectedKeyType(k.d.kind, transport) }));
  const ok = (k: ScannedKey & { d: KeyDescription }) => k.type === expectedKeyType(k.d.kind, transport);

  // experiments
  const expKeys = mine.filter((k) => k.d.kind === 'exp' && ok(k)).slice(0, opts.maxExperiments);
  const hp = redis.pipeline();
  for (const k of expKeys) hp.hmget(k.raw, ...EXPERIMENT_STATE_FIELDS);
  const hashes = (await hp.exec()) ?? [];
  const experiments = expKeys
    .map((k, i) => experimentStateFromFields(k.d.experimentId!, (hashes[i]?.[1] ?? []) as (string | null)[]))
    .filter((s): s is ExperimentState => s !== null);
  const running = experiments.filter((e) => e.status === 'running');
  const rp = redis.pipeline();
  // the results hash shares its experiment's hash tag: derived from the scanned key, since the
  // tags depend on the deployment's shard count, which the scan only bounds from below
  const expKeyOf = new Map(expKeys.map((k) => [k.d.experimentId!, k.text]));
  for (const e of running) rp.hkeys(siblingKey(expKeyOf.get(e.id)!, `res:${e.id}:${e.stageIndex}`));
  const resKeys = (await rp.exec()) ?? [];
  const finished = new Map(running.map((e, i) => [e.id, new Set(((resKeys[i]?.[1] ?? []) as string[]).map(Number))]));

  // alive tasks
  const alive = new Set<string>();
  let aliveIncomplete = false;
  for (const k of mine.filter((x) => ok(x) && (x.d.kind === 'q' || x.d.kind === 'proc' || x.d.kind === 'delayed'))) {
    if (k.type === 'list') {
      const items = await redis.lrange(k.raw, 0, opts.cap - 1);
      if (items.length >= opts.cap) aliveIncomplete = true;
      for (const it of items) {
        const t = taskIdOfRaw(it);
        if (t) alive.add(t);
      }
    } else if (k.type === 'zset') {
      const items = await redis.zrange(k.raw, 0, opts.cap - 1);
      if (items.length >= opts.cap) aliveIncomplete = true;
      for (const it of items) {
        const t = taskIdOfRaw(it);
        if (t) alive.add(t);
      }
    } else if (k.type === 'stream') {
      const s = streams.get(k.text);
      if (!s || s.length === 0) continue;
      // live region: from the oldest pending entry (inclusive) or just after the earliest
      // last-delivered id of a group with lag (exclusive), whichever comes first
      let from: { id: string; exclusive: boolean } | null = s.groups.length === 0 ? { id: '0-0', exclusive: false } : null;
      const consider = (id: string, exclusive: boolean) => {
        const c = from === null ? -1 : compareIds(id, from.id);
        if (c < 0 || (c === 0 && from!.exclusive && !exclusive)) from = { id, exclusive };
      };
      for (const g of s.groups) {
        if (g.pending > 0) {
          const first = ((await redis.xpending(k.raw, g.raw, '-', '+', 1)) as unknown[][])[0];
          if (first) consider(String(first[0]), false);
        }
        // undelivered entries come after the last delivered one
        if (g.lag !== 0) consider(g.lastDeliveredId, g.lastDeliveredId !== '0-0');
      }
      if (from === null) continue;
      const { id: fromId, exclusive } = from as { id: string; exclusive: boolean };
      const start = exclusive ? `(${fromId}` : fromId === '0-0' ? '-' : fromId;
      const entries = (await redis.xrange(k.raw, start, '+', 'COUNT', opts.cap)) as [string, string[]][];
      if (entries.length >= opts.cap) aliveIncomplete = true;
      // an entry every group has read and none holds pending was acknowledged (fanin deletes
      // those in batches, so some may still be here): no live task
      const held = await heldIds(redis, k.raw, s.groups.map((g) => g.raw), entries);
      for (const [id, fields] of entries) {
        if (!held.has(id) && !s.groups.some((g) => compareIds(id, g.lastDeliveredId) > 0)) continue;
        const t = fieldsToMap(fields).t;
        if (t) alive.add(t);
      }
    }
  }

  // processing lists of workers whose heartbeat expired
  const hbAlive = new Set(mine.filter((k) => k.d.kind === 'hb').map((k) => `${k.d.shard}:${k.d.workerId}`));
  const procs = mine.filter((k) => k.d.kind === 'proc' && ok(k));
  const lp = redis.pipeline();
  for (const k of procs) lp.llen(k.raw);
  const lens = (await lp.exec()) ?? [];
  const deadWorkerLists = procs
    .map((k, i) => ({ key: k.name, workerId: k.d.workerId!, stage: k.d.stage!, length: Number(lens[i]?.[1] ?? 0), alive: hbAlive.has(`${k.d.shard}:${k.d.workerId}`) }))
    .filter((p) => p.length > 0 && !p.alive)
    .map(({ alive: _a, ...rest }) => rest);

  // task data TTLs
  // (none while its experiment runs or awaits retirement: only the others are leaks)
  const tasks = mine.filter((k) => k.d.kind === 'task');
  const names = new Map(tasks.map((k) => [k.raw.toString(), k.name]));
  const tasksWithoutTtl = (await untimedTaskKeys(redis, ks, tasks.map((k) => ({ key: k.raw.toString(), experimentId: k.d.experimentId! }))))
    .map((raw) => names.get(raw) ?? raw);

  // dead letters, with reasons counted over a sample
  const deadLetters: FaninKeyspaceFacts['deadLetters'] = [];
  for (const k of mine.filter((x) => x.d.kind === 'dead' && ok(x))) {
    const reasons: Record<string, number> = {};
    let length: number;
    if (k.type === 'stream') {
      length = await redis.xlen(k.raw);
      for (const [, f] of (await redis.xrevrange(k.raw, '+', '-', 'COUNT', 100)) as [string, string[]][]) {
        const r = fieldsToMap(f).reason ?? '(no reason)';
        reasons[r] = (reasons[r] ?? 0) + 1;
      }
    } else {
      length = await redis.llen(k.raw);
      for (const raw of await redis.lrange(k.raw, 0, 99)) {
        let r = '(unparseable record)';
        try {
          r = String((JSON.parse(raw) as { reason?: unknown }).reason ?? '(no reason)');
        } catch {
          /* counted as unparseable */
        }
        reasons[r] = (reasons[r] ?? 0) + 1;
      }
    }
    if (length > 0) deadLetters.push({ key: k.name, length, reasons });
  }

  return { prefix, transport, experiments, finished, alive, aliveIncomplete, deadWorkerLists, tasksWithoutTtl, taskKeys: tasks.length, deadLetters, wrongTypes };
}

/**
 * Ids of `entries` pending in any of `groups`: every pending id of their range, page by page
 * (pending ids whose entries were deleted may sit in the range too, so no count bounds it).
 */
async function heldIds(redis: Redis, key: Buffer | string, groups: readonly (Buffer | string)[], entries: readonly [string, string[]][]): Promise<Set<string>> {
  const held = new Set<string>();
  if (entries.length === 0) return held;
  const PAGE = 1000;
  const last = entries[entries.length - 1][0];
  for (const g of groups) {
    for (let from = entries[0][0]; ;) {
      const rows = (await redis.xpending(key, g, from, last, PAGE)) as unknown[][];
      for (const r of rows) held.add(String(r[0]));
      if (rows.length < PAGE) break;
      from = `(${String(rows[rows.length - 1][0])}`;
    }
  }
  return held;
}
