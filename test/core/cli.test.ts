/** The core CLI as a real process: bad input gets a clear message and the documented exit code. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/child.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.stop();
});

describe('fanin CLI', () => {
  it('exits 2 on an unknown flag, naming it', async () => {
    const c = runCli(['worker', '--stage', 'review', '--bogus', '1']);
    expect(await c.exited).toBe(2);
    expect(c.stderr.join('\n')).toMatch(/Unknown argument: bogus/);
  });

  it('exits 2 on an unknown stage, listing the known ones', async () => {
    const c = runCli(['worker', '--stage', 'nope', '--redis', server.url]);
    expect(await c.exited).toBe(2);
    expect(c.stderr.join('\n')).toContain('no handler for stage "nope" in builtin; known stages: pre_test, analyse_batch, corpus_synthesis, review, moderation');
  });

  it('exits 2 on a durable-writes WAIT timeout not below the command timeout, naming the flag', async () => {
    const c = runCli(['worker', '--stage', 'review', '--redis', server.url, '--durable-writes', 'replicas', '--durable-timeout', '6000']);
    expect(await c.exited).toBe(2);
    expect(c.stderr.join('\n')).toContain('INVALID_CONFIG: durableTimeoutMs (--durable-timeout) 6000 ms must be below the command timeout (5000 ms)');
  });

  it('exits 2 on a malformed Redis URL without echoing the password', async () => {
    const c = runCli(['submit', '--redis', 'http://u:hunter2@localhost:1']);
    expect(await c.exited).toBe(2);
    const err = c.stderr.join('\n');
    expect(err).toContain('scheme must be redis:// or rediss://');
    expect(err).not.toContain('hunter2');
  });

  it('exits 3 when Redis cannot be reached', async () => {
    const c = runCli(['submit', '--redis', 'redis://127.0.0.1:1']);
    expect(await c.exited).toBe(3);
    expect(c.stderr.join('\n')).toMatch(/REDIS_UNAVAILABLE: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });

  it('exits 2 on an input file that is not valid JSON', async () => {
    const c = runCli(['submit', '--redis', server.url, '--input', 'package-lock.json.missing']);
    expect(await c.exited).toBe(2);
    expect(c.stderr.join('\n')).toContain('cannot read input package-lock.json.missing');
  });

  it('submits the fixture corpus and waits for it with process workers (exit 0, completed)', async () => {
    const prefix = 'cli-e2e';
    const stages = ['pre_test', 'analyse_batch', 'corpus_synthesis', 'review', 'moderation'];
    const workers = stages.map((stage) => runCli(['worker', '--stage', stage, '--redis', server.url, '--prefix', prefix, '--transport', 'lists']));
    try {
      await Promise.all(workers.map((w) => w.waitForLine(/^worker /)));
      const s = runCli(['submit', '--redis', server.url, '--prefix', prefix, '--transport', 'lists', '--wait', '20000']);
      expect(await s.exited).toBe(0);
      expect(JSON.parse(s.lines[s.lines.length - 1])).toMatchObject({ status: 'completed', stage: 'moderation' });
      // graceful shutdown on SIGTERM
      for (const w of workers) w.kill('SIGTERM');
      expect(await Promise.all(workers.map((w) => w.exited))).toEqual(stages.map(() => 0));
    } finally {
      for (const w of workers) w.kill('SIGKILL');
    }
  });
});
