/**
 * `fanin audit --watch S`: audits every S seconds until `signal` aborts (Ctrl-C), and hands each
 * round to `onRound`: the report, the findings that appeared and disappeared since the round
 * before (by finding identity), the deltas of the numeric facts and server counters, and the
 * Prometheus text of the newest good round (for `--serve`). The first round's failure is thrown
 * (a wrong URL or password ends the watch: exit 2/3); a later one is handed over as `error` and
 * the watch goes on. An audit still running at Ctrl-C is abandoned (its connection ends with the
 * process).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { untilInterrupted } from '../../runner/interrupt.js';
import type { AuditReport } from '../audit-types.js';
import { renderAuditProm } from '../report/render-audit-prom.js';
import { runAudit, type AuditOptions } from '../run-audit.js';
import { diffFindings, type FindingDiff } from './finding-identity.js';
import { numericDeltas, numericFacts } from './numeric-deltas.js';
import type { ErrorCounters } from './read-errorstats.js';

export interface WatchRound {
  n: number;
  /** this round's report, or the last good one when `error` is set */
  report: AuditReport;
  diff: FindingDiff;
  deltas: Record<string, number>;
  counters: ErrorCounters;
  /** the Prometheus exposition to serve (fanin_audit_up 0 after a failed round) */
  prom: string;
  error?: unknown;
}

export interface WatchOptions {
  audit: AuditOptions;
  intervalMs: number;
  signal: AbortSignal;
  onRound(round: WatchRound): Promise<void>;
  /** the server's counters after a round (default: none); injected so the CLI reads INFO errorstats */
  counters?: (report: AuditReport) => Promise<ErrorCounters>;
  /** one audit (default runAudit) */
  audit1?: (o: AuditOptions) => Promise<AuditReport>;
}

const NO_COUNTERS: ErrorCounters = { counters: {}, metrics: [] };

async function auditRound(o: WatchOptions): Promise<{ report: AuditReport; counters: ErrorCounters }> {
  const report = await (o.audit1 ?? runAudit)(o.audit);
  const counters = o.counters ? await o.counters(report).catch(() => NO_COUNTERS) : NO_COUNTERS;
  return { report, counters };
}

/** Runs rounds until the signal aborts; returns how many rounds ended. */
export async function watchAudit(o: WatchOptions): Promise<number> {
  let last: { report: AuditReport; counters: ErrorCounters } | null = null;
  let n = 0;
  while (!o.signal.aborted) {
    let result: { report: AuditReport; counters: ErrorCounters } | null;
    let error: unknown;
    try {
      result = await untilInterrupted(o.signal, auditRound(o));
    } catch (err) {
      if (!last) throw err;
      result = null;
      error = err;
    }
    if (o.signal.aborted) break;
    n++;
    if (result) {
      const before = last ?? result;
      const deltas = last ? numericDeltas(numericFacts(before.report, before.counters.counters), numericFacts(result.report, result.counters.counters)) : {};
      const diff = last ? diffFindings(before.report.findings, result.report.findings) : { appeared: result.report.findings, disappeared: [], kept: 0 };
      await o.onRound({ n, ...result, diff, deltas, prom: renderAuditProm(result.report, { extra: result.counters.metrics }) });
      last = result;
    } else if (last) {
      await o.onRound({ n, ...last, diff: { appeared: [], disappeared: [], kept: last.report.findings.length }, deltas: {}, prom: renderAuditProm(last.report, { up: false, extra: last.counters.metrics }), error });
    }
    await sleep(o.intervalMs, undefined, { signal: o.signal }).catch(() => undefined);
  }
  return n;
}
