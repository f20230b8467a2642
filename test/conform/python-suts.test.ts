/**
 * The three Python reference systems of fixtures/sut/ (issue 13), driven the way `fanin conform`
 * drives a system (its processes started with the contract's environment, submit, wait with a
 * timeout, the ledger judged against the TS workload), by the small local driver in
 * support/sut-driver.ts: seeds-v1 hangs with the fan-in evidence in its ledger; seeds-v2 and
 * python-reliable complete; a worker killed mid-task loses seeds-v2's experiment and not
 * python-reliable's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { CONTRACT, expectedFinal, expectedOutputs, STAGE_NAMES } from '../../harness/conform/workload.js';
import { EmbeddedRedisProvider } from '../../harness/redis/embedded.js';
import type { StartedRedis } from '../../harness/redis/provider.js';
import { startRedis } from '../support/redis.js';
import { pollUntil, readLedger, SutDriver, type LedgerRecord } from './support/sut-driver.js';

const SUT_ROOT = fileURLToPath(new URL('../../fixtures/sut/', import.meta.url));
const BATCHES = [2, 3, 4];

function input(experiment: string, batches: number, directives: unknown[] = []) {
  return { contract: CONTRACT, experiment, batches, directives };
}

/**
 * Starts a SUT Redis (with AOF persistence when `aof`, so it can be restarted), a ledger Redis
 * and the system's processes for the describe block.
 */
function useSystem(name: string, aof = false) {
  const ctx = {} as { sut: StartedRedis; ledgerServer: StartedRedis; ledger: Redis; driver: SutDriver; runId: string };
  beforeAll(async () => {
    const sut = aof ? new EmbeddedRedisProvider('aof').start() : startRedis();
    [ctx.sut, ctx.ledgerServer] = await Promise.all([sut as Promise<StartedRedis>, startRedis() as Promise<StartedRedis>]);
    ctx.ledger = new Redis(ctx.ledgerServer.url);
    ctx.runId = `t-${name}-${process.pid}`;
    ctx.driver = new SutDriver(SUT_ROOT + name, { redisUrl: ctx.sut.url, ledgerUrl: ctx.ledgerServer.url, runId: ctx.runId });
    ctx.driver.startAll();
  });
  afterAll(async () => {
    await ctx.driver?.stopAll();
    await ctx.ledger?.quit();
    await Promise.all([ctx.sut?.stop(), ctx.ledgerServer?.stop()]);
  });
  return ctx;
}

const key = (r: { stage: string; index: number }) => `${r.stage}[${r.index}]`;

/** Every task of the experiment has exactly one ok end, with the expected output. */
function expectEachTaskOnce(records: LedgerRecord[], experiment: string, batches: number): void {
  const okEnds = records.filter((r) => r.experiment === experiment && r.type === 'end' && r.ok === '1');
  const expected = expectedOutputs(experiment, batches);
  const want: Record<string, string> = {};
  STAGE_NAMES.forEach((stage, s) => expected[s]!.forEach((output, index) => (want[`${stage}[${index}]`] = output)));
  const got: Record<string, string[]> = {};
  for (const r of okEnds) (got[key(r)] ??= []).push(r.output!);
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [task, output] of Object.entries(want)) expect(got[task], task).toEqual([output]);
}

/** The worker running the task right now: its start is in the ledger and its end is not. */
async function workerMidTask(ctx: { ledger: Redis; runId: string }, experiment: string, stage: string, index: number) {
  return pollUntil(`${experiment} ${stage}[${index}] to start`, async () => {
    const records = (await readLedger(ctx.ledger, ctx.runId)).filter(
      (r) => r.experiment === experiment && r.stage === stage && r.index === index,
    );
    const start = records.find((r) => r.type === 'start');
    if (!start) return undefined;
    const ended = records.some((r) => r.type === 'end' && r.attempt === start.attempt && r.worker === start.worker);
    if (ended) throw new Error(`${experiment} ${stage}[${index}] ended before it could be killed`);
    return start.worker;
  });
}

describe('seeds-v1: fan-out without fan-in', () => {
  const ctx = useSystem('seeds-v1');

  it('refuses poison at submit', async () => {
    const r = await ctx.driver.submit({ contract: CONTRACT, experiment: 'v1-poison', batches: 'many', directives: [] });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/batches/);
  });

  it('hangs: every analyse_batch ends, no corpus_synthesis starts, wait runs into its timeout', async () => {
    const handles = await Promise.all(BATCHES.map((b) => ctx.driver.submit(input(`v1-e${b}`, b))));
    expect(handles.map((h) => h.code)).toEqual([0, 0, 0]);
    const outcomes = await Promise.all(handles.map((h) => ctx.driver.wait(h.handle, 5000)));
    expect(outcomes.map((o) => o.timedOut)).toEqual([true, true, true]);
    const records = await pollUntil('every analyse_batch to end', async () => {
      const all = await readLedger(ctx.ledger, ctx.runId);
      const ends = all.filter((r) => r.type === 'end' && r.ok === '1' && r.stage === 'analyse_batch');
      return ends.length === BATCHES.reduce((a, b) => a + b, 0) ? all : undefined;
    });
    for (const b of BATCHES) {
      const mine = records.filter((r) => r.experiment === `v1-e${b}`);
      const ends = mine.filter((r) => r.type === 'end' && r.stage === 'analyse_batch').map((r) => r.index);
      expect(ends.sort()).toEqual([...Array(b).keys()]);
      expect(mine.filter((r) => r.stage === 'corpus_synthesis')).toEqual([]);
    }
  }, 30_000);
});

describe('seeds-v2: the in-memory fan-in', () => {
  const ctx = useSystem('seeds-v2');

  it('completes three experiments with the expected outputs, each task once', async () => {
    const handles = await Promise.all(BATCHES.map((b) => ctx.driver.submit(input(`v2-e${b}`, b))));
    const outcomes = await Promise.all(handles.map((h) => ctx.driver.wait(h.handle, 20_000)));
    outcomes.forEach((o, i) => expect(o.result).toEqual({ status: 'completed', output: expectedFinal(`v2-e${BATCHES[i]}`, BATCHES[i]!) }));
    const records = await readLedger(ctx.ledger, ctx.runId);
    for (const b of BATCHES) expectEachTaskOnce(records, `v2-e${b}`, b);
  }, 30_000);

  it('retries a failed task; a rejected task fails its experiment with a cause', async () => {
    const retry = await ctx.driver.submit(input('v2-retry', 2, [{ do: 'fail', stage: 'analyse_batch', index: 1, attempts: [1] }]));
    const reject = await ctx.driver.submit(input('v2-reject', 2, [{ do: 'reject', stage: 'review', index: 0 }]));
    const [r1, r2] = await Promise.all([ctx.driver.wait(retry.handle, 20_000), ctx.driver.wait(reject.handle, 20_000)]);
    expect(r1.result).toEqual({ status: 'completed', output: expectedFinal('v2-retry', 2) });
    expect(r2.result).toMatchObject({ status: 'failed', cause: expect.stringMatching(/review\[0\]/) });
    const dead = (await readLedger(ctx.ledger, ctx.runId)).filter((r) => r.type === 'dead');
    expect(dead.map((r) => `${r.experiment} ${key(r)}`)).toEqual(['v2-reject review[0]']);
  }, 30_000);

  it('loses the task of a worker killed mid-task: the experiment does not complete', async () => {
    const exp = input('v2-kill', 3, [{ do: 'sleep', stage: 'analyse_batch', index: 0, ms: 3000 }]);
    const { handle } = await ctx.driver.submit(exp);
    const victim = await workerMidTask(ctx, 'v2-kill', 'analyse_batch', 0);
    await ctx.driver.killAndReplace(victim);
    const outcome = await ctx.driver.wait(handle, 7000);
    expect(outcome.timedOut).toBe(true);
    const records = (await readLedger(ctx.ledger, ctx.runId)).filter((r) => r.experiment === 'v2-kill');
    expect(records.filter((r) => r.stage === 'analyse_batch' && r.index === 0 && r.type === 'end')).toEqual([]);
    expect(records.filter((r) => r.stage === 'corpus_synthesis')).toEqual([]);
  }, 30_000);
});

describe('python-reliable: processing lists, heartbeats, a reaper and the fan-in in Lua', () => {
  const ctx = useSystem('python-reliable', true);

  it('completes three experiments with the expected outputs, each task once', async () => {
    const handles = await Promise.all(BATCHES.map((b) => ctx.driver.submit(input(`pr-e${b}`, b))));
    const outcomes = await Promise.all(handles.map((h) => ctx.driver.wait(h.handle, 20_000)));
    outcomes.forEach((o, i) => expect(o.result).toEqual({ status: 'completed', output: expectedFinal(`pr-e${BATCHES[i]}`, BATCHES[i]!) }));
    const records = await readLedger(ctx.ledger, ctx.runId);
    for (const b of BATCHES) expectEachTaskOnce(records, `pr-e${b}`, b);
  }, 30_000);

  it('refuses poison; retries a failed task; fails an always-failing one with a cause', async () => {
    const poison = await ctx.driver.submit('{"contract":"fanin-conformance/1","experiment":"pr-poison","batches":"many"}');
    expect(poison.code).not.toBe(0);
    const retry = await ctx.driver.submit(input('pr-retry', 2, [{ do: 'fail', stage: 'analyse_batch', attempts: [1] }]));
    const always = await ctx.driver.submit(input('pr-always', 2, [{ do: 'fail', stage: 'moderation', attempts: 'all' }]));
    const [r1, r2] = await Promise.all([ctx.driver.wait(retry.handle, 20_000), ctx.driver.wait(always.handle, 20_000)]);
    expect(r1.result).toEqual({ status: 'completed', output: expectedFinal('pr-retry', 2) });
    expect(r2.result).toMatchObject({ status: 'failed', cause: expect.stringMatching(/moderation\[0\] attempt 3/) });
    const records = await readLedger(ctx.ledger, ctx.runId);
    expectEachTaskOnce(records, 'pr-retry', 2);
    expect(records.filter((r) => r.type === 'dead').map((r) => `${r.experiment} ${key(r)} ${r.attempt}`)).toEqual(['pr-always moderation[0] 3']);
  }, 30_000);

  it('recovers the task of a worker killed mid-task: the experiment completes, each task counted once', async () => {
    const exp = input('pr-kill', 3, [{ do: 'sleep', stage: 'analyse_batch', index: 0, ms: 3000 }]);
    const { handle } = await ctx.driver.submit(exp);
    const victim = await workerMidTask(ctx, 'pr-kill', 'analyse_batch', 0);
    await ctx.driver.killAndReplace(victim);
    const outcome = await ctx.driver.wait(handle, 25_000);
    expect(outcome.result).toEqual({ status: 'completed', output: expectedFinal('pr-kill', 3) });
    const records = await readLedger(ctx.ledger, ctx.runId);
    expectEachTaskOnce(records, 'pr-kill', 3);
    const starts = records.filter((r) => r.experiment === 'pr-kill' && key(r) === 'analyse_batch[0]' && r.type === 'start');
    expect(starts.map((r) => r.attempt)).toEqual([1, 2]);
    expect(starts[1]!.worker).not.toBe(victim);
  }, 40_000);

  it('rides out a Redis restart (AOF) mid-experiment: completes, each task counted once', async () => {
    const slow = [{ do: 'sleep', stage: 'analyse_batch', ms: 1000 }];
    const handles = await Promise.all([2, 3].map((b) => ctx.driver.submit(input(`pr-restart-${b}`, b, slow))));
    await pollUntil('pr-restart-3 to reach analyse_batch', async () =>
      (await readLedger(ctx.ledger, ctx.runId)).some((r) => r.experiment === 'pr-restart-3' && r.stage === 'analyse_batch') || undefined,
    );
    await ctx.sut.control!.restart();
    const outcomes = await Promise.all(handles.map((h) => ctx.driver.wait(h.handle, 30_000)));
    expect(outcomes.map((o) => o.result)).toEqual([2, 3].map((b) => ({ status: 'completed', output: expectedFinal(`pr-restart-${b}`, b) })));
    const records = await readLedger(ctx.ledger, ctx.runId);
    for (const b of [2, 3]) expectEachTaskOnce(records, `pr-restart-${b}`, b);
  }, 45_000);
});
