/**
 * The embedded provider's binary and lifetime: REDIS_SERVER_BIN naming a missing file exits 3
 * naming the path, with no download attempt; --keep-redis leaves the server running after the
 * CLI has exited (the test then stops that server by its pid).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { fanin } from '../cli-helpers.js';
import { alive } from '../../support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'fanin-embedded-'));

function client(url: string): Redis {
  const c = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  c.on('error', () => undefined);
  return c;
}


describe('REDIS_SERVER_BIN', () => {
  it('naming a missing file → exit 3 naming the path; nothing is downloaded', async () => {
    const missing = join(dir, 'no-such', 'redis-server');
    const downloads = join(dir, 'downloads');
    const r = await fanin(['diagnose', '--runs', '1', '--quiet', '--report-dir', join(dir, 'reports')], {
      REDIS_SERVER_BIN: missing, REDISMS_DOWNLOAD_DIR: downloads, REDISMS_DOWNLOAD_MIRROR: 'http://127.0.0.1:1',
    });
    expect(r.stderr).toContain(missing);
    expect(r.stderr).toContain('REDIS_SERVER_BIN');
    expect(r.code).toBe(3);
    expect(existsSync(downloads)).toBe(false);
  });
});

describe('--keep-redis', () => {
  it('leaves the server running: PING answers 5 s after the CLI exited', async () => {
    const r = await fanin(['diagnose', '--runs', '1', '--keep-redis', '--quiet', '--report-dir', join(dir, 'reports')]);
    expect(r.code).toBe(0);
    const url = /redis kept running at (redis:\/\/\S+)/.exec(r.stdout)?.[1];
    expect(url).toBeDefined();
    const first = client(url!);
    let pid: number;
    try {
      await first.connect();
      pid = Number(/process_id:(\d+)/.exec(await first.info('server'))?.[1]);
    } finally {
      first.disconnect();
    }
    expect(pid).toBeGreaterThan(0);
    try {
      await sleep(5_000); // the spec: still answering 5 s after the CLI exited
      const c = client(url!);
      try {
        await c.connect();
        expect(await c.ping()).toBe('PONG');
      } finally {
        c.disconnect();
      }
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGTERM'); // the run started it: stop it
    }
    while (alive(pid)) await sleep(50);
  });
});
