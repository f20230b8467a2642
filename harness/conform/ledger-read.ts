/**
 * Reads the conformance ledger (docs/conformance.md, section 4): the stream
 * `fanin:ledger:<run id>` → typed records in stream order. A record that does not have the
 * contract's shape is kept aside with the reason (a check reports it), never guessed at.
 */
import type { Redis } from 'ioredis';
import { conformanceLedgerKey } from '../../src/index.js';

export interface LedgerRecord {
  /** the stream entry id, e.g. 1717000000000-0 */
  id: string;
  type: 'start' | 'end' | 'dead';
  experiment: string;
  stage: string;
  index: number;
  attempt: number;
  worker: string;
  /** end records: whether the task function returned an output */
  ok?: boolean;
  output?: string;
  error?: string;
  reason?: string;
  ts?: number;
}

export interface InvalidRecord {
  id: string;
  problem: string;
}

export interface Ledger {
  records: LedgerRecord[];
  invalid: InvalidRecord[];
}

const TYPES = new Set(['start', 'end', 'dead']);

function intField(v: string | undefined): number | null {
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
}

/** One stream entry's fields (flat [k, v, k, v, ...]) as a record, or the reason it is not one. */
export function parseLedgerEntry(id: string, flat: readonly string[]): LedgerRecord | InvalidRecord {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
  const type = f.type ?? '';
  if (!TYPES.has(type)) return { id, problem: `type is ${JSON.stringify(f.type ?? null)}, not start, end or dead` };
  const index = intField(f.index);
  const attempt = intField(f.attempt);
  if (!f.experiment || !f.stage || index === null || attempt === null || !f.worker) {
    return { id, problem: 'missing or malformed experiment, stage, index, attempt or worker' };
  }
  const rec: LedgerRecord = { id, type: type as LedgerRecord['type'], experiment: f.experiment, stage: f.stage, index, attempt, worker: f.worker };
  if (type === 'end') {
    if (f.ok !== '0' && f.ok !== '1') return { id, problem: `end record with ok=${JSON.stringify(f.ok ?? null)} (must be 0 or 1)` };
    rec.ok = f.ok === '1';
    if (rec.ok && !f.output) return { id, problem: 'end record with ok=1 and no output' };
    if (f.output !== undefined) rec.output = f.output;
    if (f.error !== undefined) rec.error = f.error;
  }
  if (f.reason !== undefined) rec.reason = f.reason;
  const ts = intField(f.ts);
  if (ts !== null) rec.ts = ts;
  return rec;
}

export function splitLedger(entries: readonly [string, string[]][]): Ledger {
  const out: Ledger = { records: [], invalid: [] };
  for (const [id, flat] of entries) {
    const r = parseLedgerEntry(id, flat);
    if ('problem' in r) out.invalid.push(r);
    else out.records.push(r);
  }
  return out;
}

/** Entries after `afterId` (exclusive; '-' for all), in pages. */
export async function readLedgerEntries(redis: Redis, runId: string, afterId = '-'): Promise<[string, string[]][]> {
  const key = conformanceLedgerKey(runId);
  const out: [string, string[]][] = [];
  let start = afterId === '-' ? '-' : `(${afterId}`;
  for (;;) {
    const page = (await redis.xrange(key, start, '+', 'COUNT', 1000)) as [string, string[]][];
    out.push(...page);
    if (page.length < 1000) return out;
    start = `(${page[page.length - 1]![0]}`;
  }
}

export async function readLedger(redis: Redis, runId: string): Promise<Ledger> {
  return splitLedger(await readLedgerEntries(redis, runId));
}

/** Compares two stream ids (ms-seq). */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || as - bs;
}

/** `(ledger a..b)` or `(ledger a)` for evidence lines. */
export function ledgerSpan(ids: readonly string[]): string {
  if (ids.length === 0) return '(no ledger records)';
  const sorted = [...ids].sort(compareIds);
  return sorted.length === 1 ? `(ledger ${sorted[0]})` : `(ledger ${sorted[0]}..${sorted[sorted.length - 1]})`;
}

export function taskName(stage: string, index: number): string {
  return `${stage}[${index}]`;
}
