import type { Redis } from 'ioredis';
import { z } from 'zod';
import { FaultError } from '../fault-error.js';
import { durationMs } from '../fault-params.js';
import type { Fault, NemesisTargets } from '../types.js';
import { numberParam, sleep } from './process-faults.js';

/** One filler value (64 KiB): a full 32 MB Redis takes ~500 of them. */
const CHUNK = 'f'.repeat(64 * 1024);

const isOom = (err: unknown) => err instanceof Error && /^OOM\b/.test(err.message);

/** Filler keys live in their own namespace, outside the core's `<prefix>:{<prefix>:N}:` keys. */
function fillerPrefix(t: NemesisTargets): string {
  return `filler:${t.keys.prefix}:`;
}

async function usedMemoryMb(admin: Redis): Promise<number> {
  const bytes = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1] ?? NaN);
  return +(bytes / 1024 / 1024).toFixed(1);
}

/** The server's maxmemory (bytes), refusing a server that would evict or has no limit. */
async function checkLimit(admin: Redis): Promise<number> {
  const max = Number(((await admin.config('GET', 'maxmemory')) as string[])[1]);
  const policy = ((await admin.config('GET', 'maxmemory-policy')) as string[])[1];
  if (!(max > 0)) throw new FaultError('FAULT_CHECK_FAILED', 'Redis has no maxmemory (set setup.redisMaxMemoryMb): filling it would exhaust the machine', { max });
  if (policy !== 'noeviction') throw new FaultError('FAULT_CHECK_FAILED', `maxmemory-policy is ${policy}: Redis would evict keys instead of refusing writes (noeviction expected)`, { policy });
  return max;
}

interface Filler {
  prefix: string;
  /** filler keys written (deleted at the end) */
  keys: string[];
  bytes: number;
  /** writes Redis refused with OOM */
  refused: number;
  firstOom: string;
}

/** SETs one filler value; false when Redis refused it with OOM. */
async function put(admin: Redis, f: Filler, value: string): Promise<boolean> {
  const key = `${f.prefix}${f.keys.length}`;
  try {
    await admin.set(key, value);
  } catch (err) {
    if (!isOom(err)) throw err;
    f.refused += 1;
    f.firstOom ||= (err as Error).message.split('.')[0];
    return false;
  }
  f.keys.push(key);
  f.bytes += value.length;
  return true;
}

/** Fills until a write is refused with OOM. Throws past `capBytes` without one. */
async function fillUntilOom(admin: Redis, f: Filler, capBytes: number): Promise<void> {
  while (await put(admin, f, CHUNK)) {
    if (f.bytes > capBytes) throw new FaultError('FAULT_CHECK_FAILED', `wrote ${f.bytes} bytes of filler without an OOM reply`, { bytes: f.bytes });
  }
}

/** OOM error replies Redis has sent so far, to every client (INFO errorstats). */
async function oomReplies(admin: Redis): Promise<number> {
  return Number(/errorstat_OOM:count=(\d+)/.exec(await admin.info('errorstats'))?.[1] ?? 0);
}

/** Deletes every filler key (DEL frees at once, unlike UNLINK), then checks writes are accepted again. */
async function freeFiller(admin: Redis, f: Filler): Promise<void> {
  for (let i = 0; i < f.keys.length; i += 500) await admin.del(...f.keys.slice(i, i + 500));
  f.keys = [];
  const probe = `${f.prefix}probe`;
  try {
    await admin.set(probe, '1');
  } catch (err) {
    throw new FaultError('FAULT_CHECK_FAILED', `filler deleted but writes are still refused: ${(err as Error).message}`);
  } finally {
    await admin.del(probe).catch(() => undefined);
  }
}

/**
 * Keeps Redis full for `holdMs`: every 20 ms a filler write must be refused; when the core has
 * freed memory (acknowledged entries are deleted) it is filled again. Returns the refills.
 */
async function holdFull(admin: Redis, f: Filler, holdMs: number, capBytes: number): Promise<number> {
  const until = Date.now() + holdMs;
  let refills = 0;
  while (Date.now() < until) {
    await sleep(Math.min(20, Math.max(0, until - Date.now())));
    if (await put(admin, f, CHUNK)) {
      refills += 1;
      await fillUntilOom(admin, f, capBytes);
    }
  }
  return refills;
}

/**
 * Redis runs out of memory: filler keys (in their own namespace) are written into a Redis with
 * a maxmemory and `noeviction` until writes get `OOM command not allowed`; for `holdMs` the
 * memory is kept full (what the core frees meanwhile is filled again), then the filler is
 * deleted and a probe write must succeed. Every component sees OOM on its writes meanwhile;
 * it must report it as such and resume once memory is free, losing nothing.
 */
export const memoryFull: Fault = {
  name: 'memory-full',
  description: 'fill Redis (maxmemory, noeviction) with filler keys until writes get OOM, hold holdMs, delete the filler',
  params: z.object({ holdMs: durationMs(3000) }).strict(),
  unsupported: (t) => (t.redis.owned ? null : 'fills the whole server: only on a Redis the harness started'),
  async invoke(t, p) {
    const holdMs = numberParam(p, 'holdMs', 3000);
    const max = await checkLimit(t.admin);
    const cap = 2 * max + 16 * 1024 * 1024;
    const before = await usedMemoryMb(t.admin);
    const oomBefore = await oomReplies(t.admin);
    const f: Filler = { prefix: fillerPrefix(t), keys: [], bytes: 0, refused: 0, firstOom: '' };
    const t0 = Date.now();
    try {
      await fillUntilOom(t.admin, f, cap);
      const oomStart = Date.now();
      const full = await usedMemoryMb(t.admin);
      const refills = await holdFull(t.admin, f, holdMs, cap);
      const coreOoms = (await oomReplies(t.admin)) - oomBefore - f.refused;
      const filled = `${(f.bytes / 1024 / 1024).toFixed(1)} MB (${f.keys.length} keys ${f.prefix}*)`;
      await freeFiller(t.admin, f);
      const oomEnd = Date.now();
      const after = await usedMemoryMb(t.admin);
      return `filled ${filled} into maxmemory ${(max / 1024 / 1024).toFixed(0)} MB (noeviction; used ${before} → ${full} MB) ` +
        `until writes got "${f.firstOom}" at +${oomStart - t0} ms (epoch ${oomStart}); held full ${oomEnd - oomStart} ms ` +
        `(${f.refused} filler writes refused, ${refills} refills after the core freed memory; the run's clients got ${coreOoms} OOM replies); filler deleted, writes accepted again at epoch ${oomEnd} (used ${after} MB)`;
    } catch (err) {
      await freeFiller(t.admin, f).catch(() => undefined);
      throw err;
    }
  },
  async teardown(t) {
    let cursor = '0';
    do {
      const [next, found] = await t.admin.scan(cursor, 'MATCH', `${fillerPrefix(t)}*`, 'COUNT', 1000);
      if (found.length) await t.admin.del(...found);
      cursor = next;
    } while (cursor !== '0');
  },
};
