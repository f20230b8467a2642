/**
 * A password with `@`, `!`, `%`, `/` and `:` planted on a redis-server (an ACL user; the URL
 * percent-encodes it) must appear nowhere — neither raw nor percent-encoded — in stdout, stderr,
 * any file under the report dir, or the `ps -eo args` listings sampled while process workers run:
 * diagnose (inline and process workers), the audit, a wrong password, and --keep-redis.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFanin } from '../cli-helpers.js';
import { startRedis, type TestRedis } from '../../support/redis.js';
import { filesUnder } from '../../support/processes.js';

const PASSWORD = 'p@ss!w%rd/x:y#42';
const WRONG = 'wr@ng!pw%25/z';
const SECRETS = [PASSWORD, encodeURIComponent(PASSWORD), WRONG, encodeURIComponent(WRONG)];
let server: TestRedis;
let url: string;
let wrongUrl: string;
const reportDir = mkdtempSync(join(tmpdir(), 'fanin-secret-reports-'));
const seen: string[] = [];

beforeAll(async () => {
  server = await startRedis();
  const admin = new Redis(server.url);
  await admin.call('ACL', 'SETUSER', 'fanin', 'on', `>${PASSWORD}`, '~*', '&*', '+@all');
  admin.disconnect();
  const port = new URL(server.url).port;
  url = `redis://fanin:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`;
  wrongUrl = `redis://fanin:${encodeURIComponent(WRONG)}@127.0.0.1:${port}`;
}, 30_000);

afterAll(async () => {
  await server?.stop();
});


function occurrences(text: string): number {
  return SECRETS.reduce((n, s) => n + text.split(s).length - 1, 0);
}

/**
 * Runs the CLI, sampling `ps -eo args` every 100 ms while it runs. The URL is given as
 * FANIN_REDIS_URL (a `--redis` the user types is in `ps` by their choice; docs/security.md).
 */
async function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; text: string }> {
  const f = startFanin(args, env);
  let ps = '';
  const sample = setInterval(() => {
    try {
      ps += execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    } catch {
      /* ps raced a process exit */
    }
  }, 100);
  const r = await f.done;
  clearInterval(sample);
  seen.push(`${r.stdout}\n${r.stderr}\n${ps}`);
  return { code: r.code, text: `${r.stdout}\n${r.stderr}` };
}

describe('a planted password appears nowhere', () => {
  it('diagnose with process workers (URL from FANIN_REDIS_URL), with --keep-redis', async () => {
    const r = await run(['diagnose', '--runs', '2', '--worker-mode', 'process', '--quiet', '--keep-redis', '--report-dir', reportDir], { FANIN_REDIS_URL: url });
    expect(r.code, r.text).toBe(0);
    expect(r.text).toContain('redis://fanin:***@127.0.0.1');
  }, 180_000);

  it('diagnose with inline workers', async () => {
    const r = await run(['diagnose', '--runs', '2', '--report-dir', reportDir], { FANIN_REDIS_URL: url });
    expect(r.code, r.text).toBe(0);
  }, 180_000);

  it('the audit (console, json and md files)', async () => {
    const r = await run(['audit', '--report-dir', reportDir], { FANIN_REDIS_URL: url });
    expect(r.code, r.text).toBe(0);
    const j = await run(['audit', '--json'], { FANIN_REDIS_URL: url });
    expect(j.code, j.text).toBe(0);
  }, 60_000);

  it('a wrong password: diagnose, audit, submit, worker fail with exit 3', async () => {
    for (const args of [
      ['diagnose', '--runs', '1', '--report-dir', reportDir],
      ['audit', '--report-dir', reportDir],
      ['submit'],
      ['worker', '--stage', 'review'],
    ]) {
      const r = await run(args, { FANIN_REDIS_URL: wrongUrl });
      expect(r.code, r.text).toBe(3);
      expect(r.text).toContain('(reason: auth)');
    }
  }, 120_000);

  it('zero occurrences in stdout, stderr, ps listings and every report file', () => {
    const files = filesUnder(reportDir);
    expect(files.length).toBeGreaterThan(5);
    const inFiles = files.map((f) => ({ f, n: occurrences(readFileSync(f, 'latin1')) })).filter((x) => x.n > 0);
    const inOutput = seen.reduce((n, t) => n + occurrences(t), 0);
    expect(inFiles).toEqual([]);
    expect(inOutput).toBe(0);
  });
});
