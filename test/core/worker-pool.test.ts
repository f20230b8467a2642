/**
 * `fanin worker --processes N` as real OS processes against a real redis-server: both children
 * of a pool process tasks (their pids in the events), the Redis URL reaches them through the
 * environment only, a child that dies is reported and replaced, and SIGTERM to the pool stops
 * every child (exit 0, no orphan process).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { poolChildArgv, stripPoolFlags } from '../../src/cli/pool-argv.js';
import { runCli, type Child } from '../support/child.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { alive } from '../support/processes.js';

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.stop();
});


/**
 * Waits (checking every 50 ms) until `cond` holds; the test's own timeout bounds it. When the test
 * ends first (a timeout), the wait stops and `cleanup` kills what the test started, so a failing
 * run leaves no process behind.
 */
async function eventually(cond: () => boolean, cleanup: () => void): Promise<void> {
  let over = false;
  onTestFinished(() => {
    over = true;
    cleanup();
  });
  while (!over && !cond()) await new Promise((r) => setTimeout(r, 50));
}

const POOL_LINE = /^worker pool: 2 processes \(pids (\d+), (\d+)\)$/;

async function poolPids(c: Child): Promise<number[]> {
  const m = POOL_LINE.exec(await c.waitForLine(POOL_LINE, 30_000))!;
  return [Number(m[1]), Number(m[2])];
}

describe('worker pool argv', () => {
  it('drops --processes and --redis (both spellings) and makes --worker-id unique per child', () => {
    const argv = ['worker', '--stage', 'review', '--processes', '2', '--redis=redis://u:pw@h:1', '--worker-id', 'w', '--concurrency', '4'];
    expect(stripPoolFlags(argv)).toEqual(['worker', '--stage', 'review', '--concurrency', '4']);
    expect(poolChildArgv(argv, 2, 'w')).toEqual(['worker', '--stage', 'review', '--concurrency', '4', '--worker-id', 'w-2']);
    expect(stripPoolFlags(['worker', '--redis', 'redis://x:1', '--processes=3', '--workerId=a'])).toEqual(['worker']);
  });
});

describe('fanin worker --processes', () => {
  it('exits 2 on --processes 0, naming the flag', async () => {
    const c = runCli(['worker', '--stage', 'review', '--processes', '0', '--redis', server.url]);
    expect(await c.exited).toBe(2);
    expect(c.stderr.join('\n')).toContain('--processes must be a whole number ≥ 1, got 0');
  });

  it('runs 2 analyse processes that both complete tasks; SIGTERM stops both (exit 0, no orphan)', async () => {
    const prefix = 'pool';
    const events = join(mkdtempSync(join(tmpdir(), 'fanin-pool-')), 'events.ndjson');
    const env = { FANIN_REDIS_URL: server.url };
    const others = ['pre_test', 'corpus_synthesis', 'review', 'moderation'].map((stage) => runCli(['worker', '--stage', stage, '--prefix', prefix], env));
    // one task at a time per process, each 150 ms: while one child holds a task, the next goes to the other
    const pool = runCli(
      ['worker', '--stage', 'analyse_batch', '--prefix', prefix, '--processes', '2', '--concurrency', '1', '--redis', server.url, '--events', events, '--handlers', 'test/support/slow-handlers.ts'],
      { FANIN_SLOW_STAGE: 'analyse_batch', FANIN_SLOW_MS: '150' },
    );
    let pids: number[] = [];
    try {
      pids = await poolPids(pool);
      await Promise.all(others.map((w) => w.waitForLine(/^worker /)));
      for (const pid of pids) {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        expect(cmdline).toContain('analyse_batch');
        expect(cmdline.join(' ')).not.toContain(server.url); // the URL travels in the environment
        expect(cmdline).not.toContain('--processes');
      }
      const s = runCli(['submit', '--prefix', prefix, '--batch-size', '1', '--wait', '60000'], env);
      expect(await s.exited).toBe(0);
      expect(JSON.parse(s.lines[s.lines.length - 1])).toMatchObject({ status: 'completed', stage: 'moderation' });

      pool.kill('SIGTERM');
      expect(await pool.exited).toBe(0);
      expect(pids.filter(alive)).toEqual([]);
      const evs = readFileSync(events, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; pid: number; stage: string });
      const completedBy = new Set(evs.filter((e) => e.type === 'completed' && e.stage === 'analyse_batch').map((e) => e.pid));
      expect([...completedBy].sort()).toEqual([...pids].sort());
      expect(evs.filter((e) => e.type === 'completed' && e.stage === 'analyse_batch')).toHaveLength(14); // 14 speeches in fixtures/corpus, 1 per batch
      expect(new Set(evs.filter((e) => e.type === 'worker-stopped').map((e) => e.pid))).toEqual(new Set(pids));
    } finally {
      for (const w of [...others, pool]) w.kill('SIGKILL');
      for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
    }
  }, 120_000);

  it('a pool killed with SIGKILL leaves no orphan: its children stop when their IPC channel closes', async () => {
    const pool = runCli(['worker', '--stage', 'review', '--prefix', 'pool-orphan', '--processes', '2'], { FANIN_REDIS_URL: server.url });
    let pids: number[] = [];
    try {
      pids = await poolPids(pool);
      pool.kill('SIGKILL');
      await pool.exited;
      // the children notice the closed channel and stop on their own (the test's timeout bounds the wait)
      await eventually(() => !pids.some(alive), () => pids.filter(alive).forEach((pid) => process.kill(pid, 'SIGKILL')));
      expect(pids.filter(alive)).toEqual([]);
    } finally {
      for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
    }
  }, 120_000);

  it('a child that dies is reported and restarted; SIGTERM then stops the new one too', async () => {
    const pool = runCli(['worker', '--stage', 'review', '--prefix', 'pool-restart', '--processes', '2'], { FANIN_REDIS_URL: server.url });
    let pids: number[] = [];
    try {
      pids = await poolPids(pool);
      const consuming = () => pool.lines.filter((l) => /^worker \S+ consuming review/.test(l)).length;
      // both children say they consume before one is killed (the pool line may come first)
      await eventually(() => consuming() >= 2, () => pool.kill('SIGKILL'));
      expect(consuming()).toBe(2);
      process.kill(pids[0], 'SIGKILL');
      // the third "consuming" line is the replacement's (the test's own timeout bounds the wait)
      await eventually(() => consuming() >= 3, () => pool.kill('SIGKILL'));
      const replacement = Number(/^worker w-review-(\d+)-/.exec(pool.lines.filter((l) => / consuming review/.test(l))[2])![1]);
      expect(pool.stderr.join('\n')).toContain(`worker process ${pids[0]} (1 of 2) exited with signal SIGKILL: restarting it`);
      expect(alive(replacement)).toBe(true);
      pool.kill('SIGTERM');
      // (the pool's stderr, the evidence, shows when the exit code is not 0)
      expect({ code: await pool.exited, stderr: pool.stderr }).toMatchObject({ code: 0 });
      expect([pids[1], replacement].filter(alive)).toEqual([]);
      pids.push(replacement);
    } finally {
      pool.kill('SIGKILL');
      for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
    }
  }, 120_000);
});
