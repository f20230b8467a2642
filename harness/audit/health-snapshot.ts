/**
 * A read-only snapshot of one keyspace's coordination state: consumer-group pending and lag,
 * queues and processing lists, delayed retries, dead letters, task-data TTLs, key types,
 * experiment states, and the integrity of the artifacts a run produced. Only reads (SCAN,
 * TYPE, XINFO, XPENDING, LLEN, ZCARD, PTTL, HGETALL, HGET): it is safe on a live Redis.
 */
import type { Redis } from 'ioredis';
import { EXPERIMENT_STATE_FIELDS, expectedKeyType, experimentStateFromFields, type KeyDescription, type Keyspace, sha256 } from '../../src/index.js';
import { inspectStream } from './inspect-stream.js';
import { pipelined } from './pipelined.js';
import { untimedTaskKeys } from './untimed-task-keys.js';
import { scanKeyspace, type ScannedKey } from './scan-keyspace.js';
import type {
  ArtifactIntegrity,
  ConsumerGroupHealth,
  DeadLetterHealth,
  ExperimentHealth,
  FinalResultIntegrity,
  HealthSnapshot,
  ListHealth,
  WrongTypeKey,
} from './health-types.js';

export interface SnapshotOptions {
  keys: Keyspace;
  transport: 'streams' | 'lists';
  /** experiments whose state to report (the run's); empty for none */
  experiments?: readonly string[];
  /** artifacts the history says were produced, to verify */
  artifacts?: readonly { experimentId: string; hash: string; stage?: string; taskId?: string }[];
  /** validates a completed experiment's final output; returns the problems (empty when valid) */
  validateResult?: (output: unknown) => string[];
  /** validates the artifacts of a stage (by stage name): the problems, empty when valid */
  validateStage?: Readonly<Record<string, (output: unknown) => string[]>>;
  /** most dead-letter entries to include per key */
  deadLetterSample?: number;
}

function pairs(flat: unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) o[String(flat[i])] = flat[i + 1];
  return o;
}

/** Consumer groups of a stream, through the audit's stream inspection. */
async function groupHealth(redis: Redis, key: ScannedKey): Promise<ConsumerGroupHealth[]> {
  const facts = await inspectStream(redis, key, { pendingAgeMs: 0, sample: 0 });
  return facts.groups.map((g) => ({ stream: key.text, group: g.name, pending: g.pending, lag: g.lag, consumers: g.consumers }));
}

async function deadLetterHealth(redis: Redis, key: string, type: string, sample: number): Promise<DeadLetterHealth> {
  if (type === 'stream') {
    const length = await redis.xlen(key);
    const entries = (await redis.xrange(key, '-', '+', 'COUNT', sample)).map(([, f]) => pairs(f) as Record<string, string>);
    return { key, length, entries };
  }
  const length = await redis.llen(key);
  const entries = (await redis.lrange(key, 0, sample - 1)).map((raw) => {
    try {
      return Object.fromEntries(Object.entries(JSON.parse(raw) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    } catch {
      return { raw };
    }
  });
  return { key, length, entries };
}

export interface Verified {
  resolved: boolean;
  sha: string | null;
  errors: string[];
}

/** An artifact: the experiment whose artifacts hash holds it, and its content hash (the field). */
export interface ArtifactRef {
  experimentId: string;
  hash: string;
}

/** The identity of an artifact in the maps verifyArtifacts returns. */
export function artifactRef(experimentId: string, hash: string): string {
  return `${experimentId}\u0000${hash}`;
}

/**
 * Reads artifacts (HGET of each one's field in its experiment's artifacts hash) in batches,
 * keeping only each one's SHA-256 (and validation errors), by `artifactRef`.
 */
export async function verifyArtifacts(redis: Redis, keys: Keyspace, refs: readonly ArtifactRef[], validate?: (output: unknown) => string[]): Promise<Map<string, Verified>> {
  const out = new Map<string, Verified>();
  const distinct = [...new Map(refs.map((r) => [artifactRef(r.experimentId, r.hash), r])).entries()];
  for (let i = 0; i < distinct.length; i += 100) {
    const batch = distinct.slice(i, i + 100);
    // one HGET per artifact: experiments of different shards may live in different cluster slots
    const raws = await pipelined<string | null, [string, ArtifactRef]>(redis, batch, (p, [, r]) => p.hget(keys.artifacts(r.experimentId), r.hash));
    batch.forEach(([key], j) => {
      const raw = raws[j];
      if (raw === null || raw === undefined) {
        out.set(key, { resolved: false, sha: null, errors: ['artifact missing'] });
        return;
      }
      let errors: string[] = [];
      if (validate) {
        try {
          errors = validate(JSON.parse(raw));
        } catch (err) {
          errors = [`unparseable: ${(err as Error).message}`];
        }
      }
      out.set(key, { resolved: true, sha: sha256(raw), errors });
    });
  }
  return out;
}

/** Schema problems of the artifacts of every stage that has a validator, by `<stage>\0<key>`. */
async function stageSchemaErrors(redis: Redis, keys: Keyspace, opts: SnapshotOptions): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [stage, validate] of Object.entries(opts.validateStage ?? {})) {
    const v = await verifyArtifacts(redis, keys, (opts.artifacts ?? []).filter((a) => a.stage === stage), validate);
    for (const [key, r] of v) if (r.resolved && r.errors.length > 0) out.set(`${stage}\u0000${key}`, r.errors);
  }
  return out;
}

export async function takeHealthSnapshot(redis: Redis, opts: SnapshotOptions): Promise<HealthSnapshot> {
  const { keys, transport } = opts;
  // the same scan as the audit (SCAN + pipelined TYPE, binary-safe)
  const { keys: all } = await scanKeyspace(redis, { match: keys.scanPattern(), maxKeys: Number.MAX_SAFE_INTEGER });
  const described: (KeyDescription & { type: string; scanned: ScannedKey })[] = [];
  const wrongTypes: WrongTypeKey[] = [];
  for (const k of all) {
    const d = keys.describe(k.text);
    if (!d) continue;
    const expected = expectedKeyType(d.kind, transport);
    if (k.type !== 'none' && k.type !== expected) wrongTypes.push({ key: k.text, actual: k.type, expected });
    described.push({ ...d, type: k.type, scanned: k });
  }
  const ofKind = (kind: KeyDescription['kind']) => described.filter((d) => d.kind === kind);
  const fine = (d: { key: string; kind: KeyDescription['kind']; type: string }) => d.type === expectedKeyType(d.kind, transport);

  const groups: ConsumerGroupHealth[] = [];
  const queues: ListHealth[] = [];
  for (const q of ofKind('q').filter(fine)) {
    if (q.type === 'stream') groups.push(...(await groupHealth(redis, q.scanned)));
    else queues.push({ key: q.key, length: await redis.llen(q.key) });
  }
  const processingLists: ListHealth[] = [];
  for (const p of ofKind('proc').filter(fine)) processingLists.push({ key: p.key, length: await redis.llen(p.key) });
  const delayed: ListHealth[] = [];
  for (const z of ofKind('delayed').filter(fine)) delayed.push({ key: z.key, length: await redis.zcard(z.key) });
  const deadLetters: DeadLetterHealth[] = [];
  for (const d of ofKind('dead').filter(fine)) deadLetters.push(await deadLetterHealth(redis, d.key, d.type, opts.deadLetterSample ?? 50));

  const taskKeys = ofKind('task').map((t) => t.key);
  const withoutTtl = await untimedTaskKeys(redis, keys, ofKind('task').map((t) => ({ key: t.key, experimentId: t.experimentId! })));

  const ids = opts.experiments ?? [];
  const fields = await pipelined<(string | null)[]>(redis, ids, (p, id) => p.hmget(keys.experiment(id), ...EXPERIMENT_STATE_FIELDS));
  const states = ids.map((id, i) => experimentStateFromFields(id, fields[i] ?? []));
  // which task indexes the fan-in counted, per stage reached (numeric fields of the results hashes)
  const resKeys = ids.flatMap((id, i) => Array.from({ length: (states[i]?.stageIndex ?? -1) + 1 }, (_, si) => ({ id, si })));
  const resFields = await pipelined<string[]>(redis, resKeys.map((r) => keys.stageResults(r.id, r.si)), (p, k) => p.hkeys(k));
  const counted = new Map<string, Record<number, number[]>>();
  resKeys.forEach((r, j) => {
    const rec = counted.get(r.id) ?? {};
    rec[r.si] = (resFields[j] ?? []).filter((f) => /^\d+$/.test(f)).map(Number).sort((a, b) => a - b);
    counted.set(r.id, rec);
  });
  const experiments: ExperimentHealth[] = ids.map((id, i) => {
    const s = states[i];
    if (!s) return { id, status: 'missing', stage: '', stageIndex: -1, remaining: 0, width: 0, cause: 'no state in Redis (never created, or expired)' };
    return { id, status: s.status, stage: s.stage, stageIndex: s.stageIndex, remaining: s.remaining, width: s.width, cause: s.cause, counted: counted.get(id) ?? {} };
  });

  // Artifacts are content-addressed per experiment: tasks with equal outputs share one. Each
  // distinct one is read and hashed once, and its content is dropped right after (bounded memory).
  const verified = await verifyArtifacts(redis, keys, opts.artifacts ?? []);
  const schemaErrors = await stageSchemaErrors(redis, keys, opts);
  const artifacts: ArtifactIntegrity[] = (opts.artifacts ?? []).map((a) => {
    const key = artifactRef(a.experimentId, a.hash);
    const v = verified.get(key)!;
    const errors = a.stage ? schemaErrors.get(`${a.stage}\u0000${key}`) : undefined;
    return { ...a, resolved: v.resolved, matches: v.sha === a.hash, ...(errors?.length ? { schemaErrors: errors } : {}) };
  });

  const completed = states.filter((s) => s?.status === 'completed' && s.resultHash) as NonNullable<(typeof states)[number]>[];
  const finals = await verifyArtifacts(redis, keys, completed.map((s) => ({ experimentId: s.id, hash: s.resultHash! })), opts.validateResult);
  const results: FinalResultIntegrity[] = completed.map((s) => {
    const v = finals.get(artifactRef(s.id, s.resultHash!))!;
    return { experimentId: s.id, resultHash: s.resultHash!, resolved: v.resolved, matches: v.sha === s.resultHash, schemaValid: v.resolved && v.errors.length === 0, schemaErrors: v.errors };
  });

  return {
    takenAt: Date.now(),
    transport,
    prefix: keys.prefix,
    groups,
    queues,
    processingLists,
    delayed,
    deadLetters,
    taskKeys: { total: taskKeys.length, withoutTtl },
    wrongTypes,
    keyCount: all.length,
    experiments,
    artifacts,
    results,
  };
}
