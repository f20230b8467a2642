/**
 * Audit cost: a Redis of 1,000,000 keys (a fanin keyspace from 200 real diagnose runs, 1,000
 * streams with consumer groups and pending entries, lists, hashes, strings, a third of the
 * strings with a TTL) audited read-only with --max-keys raised to fit; reports the wall time, the
 * keys per second and the process's RSS while auditing (process.memoryUsage().rss sampled every
 * 20 ms, the peak; plus resourceUsage().maxRSS, the peak of the whole process's life).
 * Targets: under 30 s and under 300 MB.
 *
 *   npm run bench:audit -- [--keys 1000000]
 */
import { Redis } from 'ioredis';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runAudit } from '../harness/audit/run-audit.js';
import { diagnose } from '../harness/runner/diagnose.js';

export interface AuditBenchResult {
  keys: number;
  auditMs: number;
  keysPerSec: number;
  /** peak RSS sampled during the audit, MB */
  auditRssMb: number;
  /** RSS just before the audit (the bench's own keyspace builder and diagnose runs), MB */
  baselineRssMb: number;
  /** the process's lifetime peak RSS (resourceUsage().maxRSS), MB: includes building the keyspace */
  maxRssMb: number;
  findings: Record<string, number>;
}

export const AUDIT_TARGET_MS = 30_000;
export const AUDIT_TARGET_RSS_MB = 300;

/** Runs `fn` sampling this process's RSS every 20 ms; the peak in MB. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

export async function benchAudit(total: number): Promise<AuditBenchResult> {
  const { redis: server } = await diagnose({ runs: 200, keepRedis: true, concurrency: 16 });
  const c = new Redis(server!.url);
  try {
    for (let s = 0; s < 1000; s++) {
      const p = c.pipeline();
      for (let i = 0; i < 5; i++) p.xadd(`app:events:${s}`, '*', 'n', String(i));
      p.xgroup('CREATE', `app:events:${s}`, 'readers', '0');
      await p.exec();
      await c.xreadgroup('GROUP', 'readers', 'r1', 'COUNT', 2, 'STREAMS', `app:events:${s}`, '>');
    }
    let n = await c.dbsize();
    for (let i = 0; n < total; i++) {
      const p = c.pipeline();
      for (let j = 0; j < 5000 && n < total; j++, n++) {
        const k = i * 5000 + j;
        if (k % 10 === 0) p.rpush(`app:jobs:${k}`, 'x');
        else if (k % 3 === 0) p.hset(`app:user:${k}`, 'name', `u${k}`);
        else p.set(`app:cache:${k}`, 'v', 'EX', 3600);
      }
      await p.exec();
    }
    const keys = await c.dbsize();
    const baselineRssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
    const t0 = performance.now();
    const { result: report, peakMb } = await withPeakRss(() => runAudit({ redis: server!.url, maxKeys: Math.max(100_000, keys) }));
    const auditMs = Math.round(performance.now() - t0);
    const findings: Record<string, number> = {};
    for (const f of report.findings) findings[f.code] = (findings[f.code] ?? 0) + 1;
    return {
      keys: report.keysScanned, auditMs, keysPerSec: Math.round(report.keysScanned / (auditMs / 1000)), auditRssMb: peakMb, baselineRssMb,
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), findings,
    };
  } finally {
    c.disconnect();
    await server!.stop();
  }
}

export function formatAuditResult(r: AuditBenchResult): string {
  return `audit: ${r.keys} keys audited read-only in ${r.auditMs} ms (${r.keysPerSec} keys/s; target < ${AUDIT_TARGET_MS} ms), RSS peak ${r.auditRssMb} MB while auditing (${r.baselineRssMb} MB before it; process lifetime peak ${r.maxRssMb} MB; target < ${AUDIT_TARGET_RSS_MB} MB); findings ${JSON.stringify(r.findings)}`;
}

if (process.argv[1] && /bench[/\\]audit\.ts$/.test(process.argv[1])) {
  const a = await yargs(hideBin(process.argv)).strict().option('keys', { type: 'number', default: 1_000_000 }).parseAsync();
  process.stdout.write(`${formatAuditResult(await benchAudit(a.keys))}\n`);
  process.exit(0);
}
