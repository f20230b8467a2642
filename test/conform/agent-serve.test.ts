/**
 * `fanin agent --serve` as a real process (tsx harness/cli.ts), driven by a plain NDJSON client
 * over stdin/stdout, with a real redis-server as the ledger (docs/conformance.md, section 8).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { expectedOutputs } from '../../harness/conform/index.js';
import { conformanceLedgerKey } from '../../src/index.js';
import { useRedis } from '../support/redis.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const redis = useRedis();
const started: ChildProcess[] = [];

afterEach(() => {
  for (const p of started.splice(0)) if (p.exitCode === null && p.pid) process.kill(p.pid, 'SIGKILL');
});

interface Server {
  send(value: unknown): void;
  sendRaw(line: string): void;
  /** the next `n` reply lines, parsed */
  replies(n: number): Promise<unknown[]>;
  end(): Promise<{ code: number | null; stderr: string }>;
}

function serve(env: Record<string, string | undefined>): Server {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'harness/cli.ts', 'agent', '--serve'], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  started.push(proc);
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  createInterface({ input: proc.stdout! }).on('line', (l) => { lines.push(l); wake?.(); });
  let stderr = '';
  proc.stderr!.on('data', (d) => { stderr += String(d); });
  const exited = new Promise<number | null>((r) => proc.on('exit', (c) => r(c)));
  return {
    send: (v) => void proc.stdin!.write(`${JSON.stringify(v)}\n`),
    sendRaw: (l) => void proc.stdin!.write(`${l}\n`),
    async replies(n) {
      const deadline = Date.now() + 20_000;
      while (lines.length < n) {
        if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`got ${lines.length} of ${n} replies; stderr: ${stderr}`);
        await new Promise<void>((r) => { wake = r; setTimeout(r, 200); });
      }
      return lines.splice(0, n).map((l) => JSON.parse(l) as unknown);
    },
    async end() {
      proc.stdin!.end();
      return { code: await exited, stderr };
    },
  };
}

const input = (experiment: string, batches: number, directives: unknown[] = []) => ({ contract: 'fanin-conformance/1', experiment, batches, directives });

async function ledger(runId: string): Promise<Record<string, string>[]> {
  const entries = await redis.client.xrange(conformanceLedgerKey(runId), '-', '+');
  return entries.map(([, f]) => Object.fromEntries(Array.from({ length: f.length / 2 }, (_, i) => [f[2 * i]!, f[2 * i + 1]!])));
}

describe('fanin agent --serve', () => {
  it('answers a whole experiment with the vectors, in request order, and writes the ledger', async () => {
    const s = serve({ FANIN_LEDGER_URL: redis.url, FANIN_RUN_ID: 'agent-1', FANIN_WORKER_ID: 'agent.0.1' });
    const exp = input('vec-1', 2);
    const outs = expectedOutputs('vec-1', 2);
    const stages = ['pre_test', 'analyse_batch', 'corpus_synthesis', 'review', 'moderation'];
    let inputs: string[] = [];
    for (const [si, stage] of stages.entries()) {
      for (let i = 0; i < outs[si]!.length; i++) s.send({ experiment: exp, stage, index: i, attempt: 1, inputs });
      expect(await s.replies(outs[si]!.length)).toEqual(outs[si]!.map((output) => ({ output })));
      inputs = outs[si]!;
    }
    const { code } = await s.end();
    expect(code).toBe(0);
    const recs = await ledger('agent-1');
    expect(recs).toHaveLength(14);
    expect(recs.filter((r) => r.type === 'end').map((r) => r.output)).toEqual(outs.flat());
    expect(new Set(recs.map((r) => r.worker))).toEqual(new Set(['agent.0.1']));
  });

  it('directives, dead records and malformed lines get the documented replies; the server keeps serving', async () => {
    const s = serve({ FANIN_LEDGER_URL: redis.url, FANIN_RUN_ID: 'agent-2', FANIN_WORKER_ID: 'agent.0.2' });
    const exp = input('dir-1', 1, [
      { do: 'fail', stage: 'pre_test', attempts: [1] },
      { do: 'exit', stage: 'review', index: 0, attempts: [1] },
      { do: 'reject', stage: 'moderation' },
      { do: 'sleep', stage: 'review', index: 1, ms: 300 },
    ]);
    s.send({ experiment: exp, stage: 'review', index: 1, attempt: 1, inputs: ['c'] }); // sleeps: later replies wait for it
    s.send({ experiment: exp, stage: 'pre_test', index: 0, attempt: 1, inputs: [] });
    s.send({ experiment: exp, stage: 'pre_test', index: 0, attempt: 2, inputs: [], worker: 'other.0.1' });
    s.send({ experiment: exp, stage: 'review', index: 0, attempt: 1, inputs: ['c'] });
    s.send({ experiment: exp, stage: 'moderation', index: 0, attempt: 1, inputs: ['a', 'b'] });
    s.send({ dead: { experiment: exp, stage: 'moderation', index: 0, attempt: 1, reason: 'rejected: permanent' } });
    s.sendRaw('this is not json');
    s.sendRaw('');
    s.send({ experiment: exp, stage: 'nope', index: 0, attempt: 1, inputs: [] });
    s.send({ experiment: { ...exp, batches: 'many' }, stage: 'pre_test', index: 0, attempt: 1, inputs: [] });
    s.send({ experiment: exp, stage: 'pre_test', index: 0, attempt: 1 });
    s.send({ dead: { experiment: exp, stage: 'moderation', index: 0, attempt: 1 } });
    s.send({ experiment: exp, stage: 'corpus_synthesis', index: 0, attempt: 1, inputs: ['x'] });
    const r = (await s.replies(12)) as Record<string, unknown>[];
    expect(r[0]).toEqual({ output: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(r[1]).toEqual({ error: 'directive fail: pre_test[0] attempt 1', retryable: true });
    expect(r[2]).toEqual({ output: expectedOutputs('dir-1', 1)[0]![0] });
    expect(r[3]).toEqual({ exit: 1 });
    expect(r[4]).toEqual({ error: 'directive reject: moderation[0] is poison', retryable: false });
    expect(r[5]).toEqual({ ok: true });
    expect(r[6]).toMatchObject({ retryable: false, error: expect.stringMatching(/^not JSON/) });
    expect(r[7]).toMatchObject({ retryable: false, error: expect.stringMatching(/stage/) });
    expect(r[8]).toMatchObject({ retryable: false, error: expect.stringMatching(/batches/) });
    expect(r[9]).toMatchObject({ retryable: false, error: expect.stringMatching(/inputs/) });
    expect(r[10]).toMatchObject({ retryable: false, error: expect.stringMatching(/dead\.reason/) });
    expect(r[11]).toEqual({ output: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await s.end()).code).toBe(0);

    const recs = (await ledger('agent-2')).map((x) => `${x.type}:${x.stage}:${x.attempt}:${x.ok ?? ''}:${x.worker}`);
    // requests run concurrently (replies stay in order): compare as a multiset
    expect(recs.sort()).toEqual([
      'start:review:1::agent.0.2', 'end:review:1:1:agent.0.2',
      'start:pre_test:1::agent.0.2', 'end:pre_test:1:0:agent.0.2',
      'start:pre_test:2::other.0.1', 'end:pre_test:2:1:other.0.1',
      'start:review:1::agent.0.2',
      'start:moderation:1::agent.0.2', 'end:moderation:1:0:agent.0.2',
      'dead:moderation:1::agent.0.2',
      'start:corpus_synthesis:1::agent.0.2', 'end:corpus_synthesis:1:1:agent.0.2',
    ].sort());
  });

  it('a missing ledger setting is a configuration error naming the variable (exit 2)', async () => {
    const a = serve({ FANIN_LEDGER_URL: undefined, FANIN_RUN_ID: 'x' });
    const ra = await a.end();
    expect(ra.code).toBe(2);
    expect(ra.stderr).toMatch(/FANIN_LEDGER_URL is not set/);
    const b = serve({ FANIN_LEDGER_URL: redis.url, FANIN_RUN_ID: undefined });
    const rb = await b.end();
    expect(rb.code).toBe(2);
    expect(rb.stderr).toMatch(/FANIN_RUN_ID is not set/);
  });
});
