/**
 * Audit cost: a Redis of 100,000 keys (a fanin keyspace from 200 real diagnose runs, 1,000
 * streams with consumer groups and pending entries, lists, hashes, strings) audited
 * read-only; reports the wall time and the keys per second.
 *
 *   npm run bench:audit -- [--keys 100000]
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
  findings: Record<string, number>;
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
        else p.set(`app:cache:${k}`, 'v');
      }
      await p.exec();
    }
    const keys = await c.dbsize();
    const t0 = performance.now();
    const report = await runAudit({ redis: server!.url, maxKeys: Math.max(100_000, keys) });
    const auditMs = Math.round(performance.now() - t0);
    const findings: Record<string, number> = {};
    for (const f of report.findings) findings[f.code] = (findings[f.code] ?? 0) + 1;
    return { keys: report.keysScanned, auditMs, keysPerSec: Math.round(report.keysScanned / (auditMs / 1000)), findings };
  } finally {
    c.disconnect();
    await server!.stop();
  }
}

export function formatAuditResult(r: AuditBenchResult): string {
  return `audit: ${r.keys} keys audited read-only in ${r.auditMs} ms (${r.keysPerSec} keys/s; target < 10000 ms); findings ${JSON.stringify(r.findings)}`;
}

if (process.argv[1] && /bench[/\\]audit\.ts$/.test(process.argv[1])) {
  const a = await yargs(hideBin(process.argv)).strict().option('keys', { type: 'number', default: 100_000 }).parseAsync();
  process.stdout.write(`${formatAuditResult(await benchAudit(a.keys))}\n`);
  process.exit(0);
}
