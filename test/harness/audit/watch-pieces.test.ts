/**
 * The pure pieces of `--watch` and `--serve`: finding identity across rounds, numeric deltas,
 * INFO errorstats parsing, and the --serve address.
 */
import { describe, expect, it } from 'vitest';
import type { AuditReport, Finding } from '../../../harness/audit/audit-types.js';
import { diffFindings, findingId } from '../../../harness/audit/watch/finding-identity.js';
import { numericDeltas, numericFacts } from '../../../harness/audit/watch/numeric-deltas.js';
import { parseErrorstats } from '../../../harness/audit/watch/read-errorstats.js';
import { parseServeAddress } from '../../../harness/audit/watch/serve-address.js';
import { watchAudit, type WatchRound } from '../../../harness/audit/watch/watch-audit.js';

const pendingOld = (n: number, group = 'g1'): Finding => ({
  code: 'STREAM_PENDING_OLD', severity: 'warning', title: `${n} pending entries of group ${group} on jobs are idle past 60000 ms`,
  evidence: { keys: ['jobs'], messageIds: [`${n}-0`], counts: { pending: n } }, fix: 'reclaim',
});

describe('finding identity', () => {
  it('the same problem with other numbers is the same finding; another group or node is not', () => {
    expect(findingId(pendingOld(3))).toBe(findingId(pendingOld(30)));
    expect(findingId(pendingOld(3))).not.toBe(findingId(pendingOld(3, 'g2')));
    expect(findingId(pendingOld(3, 'workers-1'))).not.toBe(findingId(pendingOld(3, 'workers-2')));
    expect(findingId(pendingOld(3))).toBe(findingId({ ...pendingOld(20), title: pendingOld(20).title.replace('20', '20+') }));
    expect(findingId(pendingOld(3))).not.toBe(findingId({ ...pendingOld(3), node: '127.0.0.1:7001' }));
    const d = diffFindings([pendingOld(3), pendingOld(1, 'gone')], [pendingOld(9), pendingOld(1, 'new')]);
    expect(d.appeared.map((f) => f.title)).toEqual(['1 pending entries of group new on jobs are idle past 60000 ms']);
    expect(d.disappeared.map((f) => f.title)).toEqual(['1 pending entries of group gone on jobs are idle past 60000 ms']);
    expect(d.kept).toBe(1);
  });
});

describe('numeric deltas', () => {
  const report = (keys: number, running: number, critical: number) => ({
    schema: 'fanin.audit/v1', target: 'redis://h:1', mode: 'auto', prefix: null, startedAt: 'x', durationMs: 5, redisVersion: '7', keysScanned: keys, truncated: false,
    thresholds: { pendingAgeMs: 1, idleAgeMs: 1, maxKeys: 1, streamLength: 1 }, faninKeyspaces: [{ prefix: 'fanin', transport: 'streams', experiments: 4, running }],
    findings: [], counts: { critical, warning: 0, info: 0 }, metrics: [{ name: 'm', labels: {}, value: keys }],
  }) as AuditReport;

  it('every numeric fact and counter, by dotted name; unchanged ones, findings, metrics and durations left out', () => {
    expect(numericFacts(report(10, 2, 0), { errorstat_WRONGTYPE: 1 })).toEqual({
      keysScanned: 10, truncated: 0, 'faninKeyspaces[fanin].experiments': 4, 'faninKeyspaces[fanin].running': 2,
      'counts.critical': 0, 'counts.warning': 0, 'counts.info': 0, errorstat_WRONGTYPE: 1,
    });
    const d = numericDeltas(numericFacts(report(10, 2, 0), { errorstat_WRONGTYPE: 1 }), numericFacts(report(12, 0, 1), { errorstat_WRONGTYPE: 4, errorstat_NOGROUP: 2 }));
    expect(d).toEqual({ 'counts.critical': 1, errorstat_NOGROUP: 2, errorstat_WRONGTYPE: 3, 'faninKeyspaces[fanin].running': -2, keysScanned: 2 });
  });

  it('INFO errorstats lines become counts by error prefix', () => {
    expect(parseErrorstats('# Errorstats\r\nerrorstat_ERR:count=4\r\nerrorstat_WRONGTYPE:count=2\r\nerrorstat_NOGROUP:count=1\r\n')).toEqual({ ERR: 4, WRONGTYPE: 2, NOGROUP: 1 });
    expect(parseErrorstats('')).toEqual({});
  });
});

describe('--serve address', () => {
  it('loopback unless a host is named; IPv6 in brackets; port 0 allowed', () => {
    expect(parseServeAddress('9121')).toEqual({ host: '127.0.0.1', port: 9121 });
    expect(parseServeAddress('127.0.0.1:9121')).toEqual({ host: '127.0.0.1', port: 9121 });
    expect(parseServeAddress('0.0.0.0:0')).toEqual({ host: '0.0.0.0', port: 0 });
    expect(parseServeAddress('[::1]:9121')).toEqual({ host: '::1', port: 9121 });
    expect(parseServeAddress('localhost:80')).toEqual({ host: 'localhost', port: 80 });
  });

  it.each([['', 'not a port'], [':9121', 'not a host'], ['a b:1', 'not a host'], ['127.0.0.1:', 'not a port'], ['h:65536', 'not a port'], ['h:-1', 'not a port'], ['[nope]:1', 'not a host'], ['::1:9121', 'not a host']])(
    '%j is refused (INVALID_CONFIG, exit 2) saying what is wrong and the fix',
    (text, why) => {
      expect(() => parseServeAddress(text)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(why) }));
      expect(() => parseServeAddress(text)).toThrow(/--serve 127\.0\.0\.1:9121/);
    },
  );
});

describe('the watch loop', () => {
  const base = { schema: 'fanin.audit/v1', target: 'redis://h:1', mode: 'auto', prefix: null, startedAt: '2024-01-01T00:00:00.000Z', durationMs: 5, redisVersion: '7', truncated: false,
    thresholds: { pendingAgeMs: 1, idleAgeMs: 1, maxKeys: 1, streamLength: 1 }, faninKeyspaces: [], metrics: [], rules: ['stream-health'] };
  const reportWith = (findings: Finding[], keys: number) => ({ ...base, keysScanned: keys, findings, counts: { critical: 0, warning: findings.length, info: 0 } }) as AuditReport;

  it('hands over appeared/disappeared and deltas; a later failed round serves the last good one with fanin_audit_up 0; the signal stops it', async () => {
    const controller = new AbortController();
    const script: (AuditReport | Error)[] = [reportWith([], 1), reportWith([pendingOld(3)], 2), new Error('connection refused'), reportWith([], 2)];
    const rounds: WatchRound[] = [];
    const n = await watchAudit({
      audit: { redis: 'redis://h:1' }, intervalMs: 0, signal: controller.signal,
      audit1: async () => {
        const next = script.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
      counters: async (r) => ({ counters: { errorstat_WRONGTYPE: r.keysScanned }, metrics: [] }),
      onRound: async (r) => {
        rounds.push(r);
        if (rounds.length === 4) controller.abort('SIGINT');
      },
    });
    expect(n).toBe(4);
    expect(rounds.map((r) => [r.diff.appeared.length, r.diff.disappeared.length])).toEqual([[0, 0], [1, 0], [0, 0], [0, 1]]);
    expect(rounds[1].deltas).toEqual({ 'counts.warning': 1, errorstat_WRONGTYPE: 1, keysScanned: 1 });
    expect(String(rounds[2].error)).toContain('connection refused');
    expect(rounds[2].prom).toContain('fanin_audit_up 0');
    expect(rounds[2].report.keysScanned).toBe(2);
    expect(rounds[3].prom).toContain('fanin_audit_up 1');
  });

  it('a failing first round is thrown (the CLI exits 2 or 3)', async () => {
    const err = Object.assign(new Error('refused'), { code: 'REDIS_UNAVAILABLE' });
    await expect(watchAudit({ audit: { redis: 'redis://h:1' }, intervalMs: 0, signal: new AbortController().signal, audit1: () => Promise.reject(err), onRound: async () => undefined })).rejects.toBe(err);
  });
});
