/**
 * `fanin audit` (yargs wiring): one audit, or `--watch S` rounds until Ctrl-C with `--serve
 * HOST:PORT` exposing `/metrics`. Exit codes: 0 no critical finding · 1 a critical finding (one
 * audit) · 2 usage or configuration (a bad flag, --serve address or --report-dir) · 3 Redis
 * unreachable · 130/143 a watch stopped by SIGINT/SIGTERM (the server and every Redis
 * connection closed first).
 */
import type { Argv } from 'yargs';
import { ConfigError, withTlsFlags } from '../../src/index.js';
import { redact } from '../reporters/redact.js';
import { checkReportDir } from '../reporters/report-dir.js';
import { INTERRUPT_EXIT_CODE, interruptOnSignals } from '../runner/interrupt.js';
import { parseDuration } from './duration.js';
import { renderAuditConsole } from './report/render-audit-console.js';
import { AUDIT_FORMATS, auditFolderName, parseAuditFormats, writeAuditReports, type AuditFormat } from './report/write-audit-reports.js';
import { connectAudit, runAudit, type AuditOptions } from './run-audit.js';
import { startMetricsServer, type MetricsServer } from './watch/metrics-server.js';
import { readErrorCounters } from './watch/read-errorstats.js';
import { renderWatchRound } from './watch/render-watch-round.js';
import { parseServeAddress } from './watch/serve-address.js';
import { watchAudit, type WatchRound } from './watch/watch-audit.js';

/** Writes to stdout and resolves once the data is handed to the OS (safe before process.exit). */
function out(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}

export function auditFlags(y: Argv) {
  return withTlsFlags(y)
    .option('redis', { type: 'string', default: process.env.FANIN_REDIS_URL, defaultDescription: '$FANIN_REDIS_URL', demandOption: !process.env.FANIN_REDIS_URL, describe: 'the Redis to audit (redis:// or rediss://; default env FANIN_REDIS_URL)' })
    .option('prefix', { type: 'string', describe: 'limit the audit to keys starting with this (a namespace)' })
    .option('mode', { choices: ['fanin', 'generic', 'auto'] as const, default: 'auto' as const, describe: 'fanin-aware rules, generic rules, or both when fanin keys are found' })
    .option('max-keys', { type: 'number', default: 100_000, describe: 'stop after this many keys (SCAN, never KEYS)' })
    .option('pending-age', { type: 'string', default: '60s', describe: 'pending entries idle longer than this are old (500, 30s, 5m)' })
    .option('idle-age', { type: 'string', default: '5m', describe: 'consumers idle longer than this holding entries are dead' })
    .option('stream-length', { type: 'number', default: 1_000_000, describe: 'streams longer than this are reported as unbounded' })
    .option('format', { type: 'string', default: 'console,json,md', describe: `${AUDIT_FORMATS.join(', ')} (comma list; files audit.json, audit.md, audit.html, audit-junit.xml, audit.prom)` })
    .option('report-dir', { type: 'string', default: 'reports', describe: 'audit files go to <dir>/audit-<timestamp>/, <dir>/audit-latest points at the newest (checked before the audit when files are written)' })
    .option('json', { type: 'boolean', default: false, describe: 'print audit.json to stdout and nothing else (with --watch: one JSON line per round)' })
    .option('watch', { type: 'number', describe: 're-audit every SECONDS until Ctrl-C, printing the findings that appeared and disappeared and the counters that changed' })
    .option('serve', { type: 'string', describe: 'with --watch: serve the newest round as Prometheus text on http://[HOST:]PORT/metrics (HOST default 127.0.0.1)' });
}

type AuditArgs = Awaited<ReturnType<typeof auditFlags>['argv']>;

function auditOptions(a: AuditArgs): AuditOptions {
  return {
    redis: a.redis ?? '', prefix: a.prefix ?? null, mode: a.mode, maxKeys: a['max-keys'], streamLength: a['stream-length'],
    pendingAgeMs: parseDuration(a['pending-age'], '--pending-age'), idleAgeMs: parseDuration(a['idle-age'], '--idle-age'),
  };
}

async function auditOnce(a: AuditArgs, formats: AuditFormat[]): Promise<number> {
  const report = await runAudit(auditOptions(a));
  const { files } = await writeAuditReports(report, a['report-dir'], formats);
  if (a.json) await out(`${JSON.stringify(redact(report), null, 2)}\n`);
  else if (formats.includes('console')) await out(`${renderAuditConsole(report)}\n${files.length ? `reports: ${files.join(', ')}\n` : ''}`);
  return report.counts.critical > 0 ? 1 : 0;
}

function watchInterval(a: AuditArgs): number | null {
  if (a.watch === undefined) {
    if (a.serve !== undefined) throw new ConfigError('--serve needs --watch SECONDS (it serves the newest watch round), e.g. --watch 15 --serve 127.0.0.1:9121', { serve: a.serve });
    return null;
  }
  if (!Number.isFinite(a.watch) || a.watch <= 0) throw new ConfigError(`--watch ${String(a.watch)}: give the seconds between rounds, a number > 0 (e.g. --watch 10)`, { watch: a.watch });
  return a.watch;
}

async function watchCommand(a: AuditArgs, formats: AuditFormat[], intervalS: number): Promise<number> {
  const serveAt = a.serve === undefined ? null : parseServeAddress(a.serve);
  const o = auditOptions(a);
  const interrupt = interruptOnSignals((sig) => process.exit(INTERRUPT_EXIT_CODE[sig]));
  let server: MetricsServer | null = null;
  let folder: string | null = null;
  try {
    if (serveAt) {
      server = await startMetricsServer(serveAt);
      // with --json stdout holds only the rounds' JSON lines: the address goes to stderr
      const line = `serving ${server.url} (the newest round)\n`;
      if (a.json) process.stderr.write(line);
      else await out(line);
    }
    const onRound = async (r: WatchRound) => {
      server?.update(r.prom);
      if (r.error === undefined) {
        folder ??= `${auditFolderName(r.report)}-watch`;
        await writeAuditReports(r.report, a['report-dir'], formats, { folder, prom: { extra: r.counters.metrics } });
      }
      if (a.json) await out(`${JSON.stringify(redact({ round: r.n, error: r.error === undefined ? undefined : String(r.error), appeared: r.diff.appeared, disappeared: r.diff.disappeared, deltas: r.deltas, report: r.report }))}\n`);
      else await out(renderWatchRound(r, intervalS));
    };
    await watchAudit({
      audit: o, intervalMs: intervalS * 1000, signal: interrupt.signal, onRound,
      counters: (report) => readErrorCounters(o.redis, report.nodes, (url) => connectAudit(url, 5_000)),
    });
  } finally {
    await server?.close();
    interrupt.dispose();
  }
  const sig = interrupt.received();
  return sig ? INTERRUPT_EXIT_CODE[sig] : 0;
}

export function auditCommandModule(setCode: (c: number) => void) {
  return {
    command: 'audit',
    describe: 'read-only coordination audit of a live Redis: verdicts with evidence and fixes (--watch: periodically, --serve: as Prometheus metrics)',
    builder: auditFlags,
    handler: async (a: AuditArgs) => {
      const formats = parseAuditFormats(a.format);
      const intervalS = watchInterval(a);
      if (formats.some((f) => f !== 'console')) await checkReportDir(a['report-dir']);
      setCode(intervalS === null ? await auditOnce(a, formats) : await watchCommand(a, formats, intervalS));
    },
  };
}
