/**
 * `fanin audit --watch S --serve HOST:PORT` as a real process against a real redis-server: the
 * rounds print what appeared and disappeared and the deltas of server counters (INFO
 * errorstats), `/metrics` serves the newest round (scraped twice while keys change), and Ctrl-C
 * (SIGINT) exits 130 with the port closed, the Redis connections gone and no process left.
 * Progress is read from the CLI's own output, never from a sleep.
 */
import { connect } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { descendantPids } from '../../../harness/runner/interrupt.js';
import { fanin, startFanin } from '../cli-helpers.js';
import { useRedis } from '../../support/redis.js';
import { unackedConsumer } from './fixture-builder.js';
import { parseExposition } from './parse-exposition.js';

const srv = useRedis();
/** a CLI process loads its sources through tsx: slow on a machine busy with other suites */
const CLI_TIMEOUT_MS = 120_000;

/** Resolves once `pattern` matches the CLI's output (stdout + stderr); rejects if it exits first. */
function waitForOutput(cli: ReturnType<typeof startFanin>, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = cli.output().match(pattern);
      if (m) resolve(m);
    };
    cli.child.stdout!.on('data', check);
    cli.child.stderr!.on('data', check);
    void cli.done.then((r) => reject(new Error(`the CLI exited (${r.code}) before ${pattern}: ${r.stdout}\n${r.stderr}`)));
    check();
  });
}

function portRefuses(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.on('connect', () => {
      s.destroy();
      resolve('open');
    });
    s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

/** Alive and not a zombie. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function clientCount(): Promise<number> {
  return (String(await srv.client.client('LIST'))).trim().split('\n').length;
}

describe('fanin audit --watch --serve', () => {
  it('scrapes /metrics twice while keys change, prints the changes, Ctrl-C exits 130 leaving nothing behind', async () => {
    await srv.client.flushall();
    const dir = mkdtempSync(join(tmpdir(), 'fanin-audit-watch-'));
    const cli = startFanin(['audit', '--redis', srv.url, '--watch', '0.3', '--serve', '127.0.0.1:0', '--pending-age', '0', '--report-dir', dir], { FORCE_COLOR: '0' });
    const [, port] = await waitForOutput(cli, /serving http:\/\/127\.0\.0\.1:(\d+)\/metrics/);
    await waitForOutput(cli, /round 1 done/);

    const first = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const before = parseExposition(await first.text()).samples;
    expect(before.filter((s) => s.name === 'redis_stream_group_messages_pending')).toEqual([]);

    // between the scrapes: a stream with 3 pending entries, and a WRONGTYPE error on the server
    await unackedConsumer(srv.client, 'jobs', { group: 'workers', consumer: 'c1', count: 3 });
    await srv.client.get('jobs').catch(() => undefined);
    const roundsSoFar = Number([...cli.output().matchAll(/round (\d+) done/g)].at(-1)![1]);
    await waitForOutput(cli, new RegExp(`round ${roundsSoFar + 2} done`));

    const second = await fetch(`http://127.0.0.1:${port}/metrics`);
    const after = parseExposition(await second.text()).samples;
    const pending = after.filter((s) => s.name === 'redis_stream_group_messages_pending');
    expect(pending).toEqual([{ name: 'redis_stream_group_messages_pending', labels: { db: 'db0', stream: 'jobs', group: 'workers' }, value: 3 }]);
    expect(after.find((s) => s.name === 'redis_errors_total' && s.labels.err === 'WRONGTYPE')?.value).toBeGreaterThanOrEqual(1);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);

    // the round that saw the stream said what appeared, and the errorstats delta
    expect(cli.output()).toMatch(/\+ STREAM_PENDING_OLD/);
    expect(cli.output()).toMatch(/errorstat_WRONGTYPE \+1/);

    // the CLI starts no process of its own (tsx's esbuild service may run beside it): whatever
    // descends from it now must be gone after the exit
    const children = descendantPids(cli.child.pid!);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('SIGINT received');
    expect(await portRefuses(Number(port))).toBe('ECONNREFUSED');
    expect(alive(cli.child.pid!)).toBe(false);
    while (children.some(alive)) await new Promise((res) => setTimeout(res, 50));
    expect(children.filter(alive)).toEqual([]);
    // the CLI's Redis connections are gone: only this test's client is left
    while ((await clientCount()) > 1) await new Promise((res) => setTimeout(res, 50));
    expect(await clientCount()).toBe(1);
  }, CLI_TIMEOUT_MS);

  it('usage errors → exit 2: a bad --serve address, --serve without --watch, a bad --watch', async () => {
    const [badHost, badPort, noWatch, zero] = await Promise.all([
      fanin(['audit', '--redis', srv.url, '--watch', '1', '--serve', 'not a host:9121', '--format', 'console']),
      fanin(['audit', '--redis', srv.url, '--watch', '1', '--serve', '127.0.0.1:99999', '--format', 'console']),
      fanin(['audit', '--redis', srv.url, '--serve', '127.0.0.1:9121', '--format', 'console']),
      fanin(['audit', '--redis', srv.url, '--watch', '0', '--format', 'console']),
    ]);
    expect(badHost.code).toBe(2);
    expect(badHost.stderr).toContain('--serve "not a host:9121"');
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('port 99999');
    expect(noWatch.code).toBe(2);
    expect(noWatch.stderr).toContain('--serve needs --watch');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--watch');
    for (const r of [badHost, badPort, noWatch, zero]) expect(r.stdout).toBe('');
  }, CLI_TIMEOUT_MS);
});
