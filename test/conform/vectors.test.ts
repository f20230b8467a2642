/**
 * The conformance workload's test vectors in both languages (docs/conformance.md section 1,
 * docs/conformance-vectors.json): the TypeScript workload and the Python helper compute the
 * same outputs, the same directed actions, and write the same ledger records to a real Redis.
 * Python is Debian's /usr/bin/python3 (it has redis-py).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ConformInputError, ConformTaskFailed, conformTask, directedAction, expectedFinal, expectedOutputs,
  experimentInputSchema, taskOutput, STAGE_NAMES,
} from '../../harness/conform/index.js';
import { conformanceLedgerKey } from '../../src/index.js';
import { useRedis } from '../support/redis.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PY_TEST = `${ROOT}conform/python/test_fanin_conform.py`;
const PYTHON = '/usr/bin/python3';
const doc = JSON.parse(readFileSync(`${ROOT}docs/conformance-vectors.json`, 'utf8')) as {
  contract: string; vectors: { experiment: string; batches: number; outputs: string[][] }[]; single: { input: string; output: string };
};

function python(args: string[], input: unknown, env: Record<string, string> = {}) {
  const r = spawnSync(PYTHON, [PY_TEST, ...args], { input: JSON.stringify(input), encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function pythonEmit(req: unknown): { vectors: string[][][]; actions: unknown[]; ledger?: unknown[] } {
  const r = python(['emit'], req);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** The docs' table of section 1: [stage, index, output] rows. */
function docsTable(): [string, number, string][] {
  const md = readFileSync(`${ROOT}docs/conformance.md`, 'utf8');
  return [...md.matchAll(/^\| `([a-z_]+)` (\d+) \| `([0-9a-f]{64})` \|$/gm)].map((m) => [m[1]!, Number(m[2]), m[3]!]);
}

const input = (experiment: string, batches: number, directives: unknown[] = []) => ({ contract: 'fanin-conformance/1', experiment, batches, directives });

describe('the workload reproduces the vectors', () => {
  it('TypeScript: conformance-vectors.json, its single vector and the docs table', () => {
    for (const v of doc.vectors) {
      expect(expectedOutputs(v.experiment, v.batches)).toEqual(v.outputs);
      expect(expectedFinal(v.experiment, v.batches)).toBe(v.outputs[4]![0]);
    }
    const [experiment, stage, index, rest] = doc.single.input.split('|');
    expect(taskOutput(experiment!, stage!, Number(index), rest ? rest.split(',') : [])).toBe(doc.single.output);
    const table = docsTable();
    expect(table).toHaveLength(7);
    const outs = expectedOutputs('vec-1', 2);
    for (const [s, i, out] of table) expect(outs[STAGE_NAMES.indexOf(s as never)]![i]).toBe(out);
  });

  it('Python: its own unittest of the vectors passes', () => {
    const r = spawnSync(PYTHON, [PY_TEST], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/OK/);
  });

  it('Python and TypeScript compute the same outputs, also for other widths', () => {
    const cases = [...doc.vectors.map((v) => ({ experiment: v.experiment, batches: v.batches })), { experiment: 'x-1', batches: 1 }, { experiment: 'Zz-9', batches: 16 }];
    const py = pythonEmit({ vectors: cases });
    expect(py.vectors).toEqual(cases.map((c) => expectedOutputs(c.experiment, c.batches)));
    expect(py.vectors.slice(0, doc.vectors.length)).toEqual(doc.vectors.map((v) => v.outputs));
  });
});

const ACTION_CASES: { directives: unknown[]; stage: string; index: number; attempt: number }[] = [
  { directives: [], stage: 'pre_test', index: 0, attempt: 1 },
  { directives: [{ do: 'fail', stage: 'analyse_batch', index: 1, attempts: [1, 2] }], stage: 'analyse_batch', index: 1, attempt: 2 },
  { directives: [{ do: 'fail', stage: 'analyse_batch', index: 1, attempts: [1, 2] }], stage: 'analyse_batch', index: 1, attempt: 3 },
  { directives: [{ do: 'fail', stage: 'analyse_batch', index: 1, attempts: [1] }], stage: 'analyse_batch', index: 0, attempt: 1 },
  { directives: [{ do: 'fail', stage: 'review', attempts: 'all' }], stage: 'review', index: 1, attempt: 7 },
  { directives: [{ do: 'sleep', stage: 'review', index: 0, ms: 30 }, { do: 'sleep', stage: 'review', ms: 20 }], stage: 'review', index: 0, attempt: 1 },
  { directives: [{ do: 'sleep', stage: 'review', ms: 20 }, { do: 'fail', stage: 'review', attempts: [1] }], stage: 'review', index: 0, attempt: 1 },
  { directives: [{ do: 'exit', stage: 'corpus_synthesis' }], stage: 'corpus_synthesis', index: 0, attempt: 1 },
  { directives: [{ do: 'exit', stage: 'corpus_synthesis' }], stage: 'corpus_synthesis', index: 0, attempt: 2 },
  { directives: [{ do: 'exit', stage: 'moderation', index: 0, attempts: [2, 3] }], stage: 'moderation', index: 0, attempt: 3 },
  { directives: [{ do: 'reject', stage: 'moderation' }], stage: 'moderation', index: 0, attempt: 5 },
  { directives: [{ do: 'reject', stage: 'pre_test', index: 1 }], stage: 'pre_test', index: 0, attempt: 1 },
  { directives: [{ do: 'exit', stage: 'review', attempts: [1] }, { do: 'reject', stage: 'review' }], stage: 'review', index: 1, attempt: 1 },
];

describe('directed actions', () => {
  it('Python and TypeScript agree on every case of the table', () => {
    const ts = ACTION_CASES.map((c) => directedAction(experimentInputSchema.parse(input('a-1', 2, c.directives)).directives, c.stage, c.index, c.attempt));
    expect(ts.map((a) => a.kind)).toEqual(['run', 'fail', 'run', 'run', 'fail', 'run', 'fail', 'exit', 'run', 'exit', 'fail', 'run', 'exit']);
    expect(ts[5]).toEqual({ kind: 'run', sleepMs: 50 });
    expect(ts[10]).toMatchObject({ kind: 'fail', retryable: false });
    expect(pythonEmit({ actions: ACTION_CASES }).actions).toEqual(ts);
  });
});

const redis = useRedis();
const LEDGER_INPUT = input('led-1', 2, [
  { do: 'fail', stage: 'analyse_batch', index: 1, attempts: [1] },
  { do: 'sleep', stage: 'review', ms: 20 },
  { do: 'reject', stage: 'moderation' },
]);
const PRE = taskOutput('led-1', 'pre_test', 0, []);
const CALLS = [
  { op: 'run', input: LEDGER_INPUT, stage: 'pre_test', index: 0, attempt: 1, inputs: [] },
  { op: 'run', input: LEDGER_INPUT, stage: 'analyse_batch', index: 1, attempt: 1, inputs: [PRE] },
  { op: 'run', input: LEDGER_INPUT, stage: 'analyse_batch', index: 1, attempt: 2, inputs: [PRE] },
  { op: 'run', input: LEDGER_INPUT, stage: 'review', index: 0, attempt: 1, inputs: ['c'] },
  { op: 'run', input: LEDGER_INPUT, stage: 'moderation', index: 0, attempt: 1, inputs: ['r0', 'r1'] },
  { op: 'dead', input: LEDGER_INPUT, stage: 'moderation', index: 0, attempt: 1, reason: 'permanent failure: directive reject' },
  { op: 'run', input: { ...LEDGER_INPUT, batches: 'many' }, stage: 'pre_test', index: 0, attempt: 1, inputs: [] },
] as const;

async function tsCalls(runId: string): Promise<unknown[]> {
  const task = conformTask({ ledger: redis.url, runId, worker: 'w-1' });
  const results: unknown[] = [];
  for (const c of CALLS) {
    try {
      if (c.op === 'dead') {
        await task.dead(c.input, c.stage, c.index, c.attempt, c.reason);
        results.push({ ok: true });
      } else results.push({ output: await task.run(c.input, c.stage, c.index, c.attempt, c.inputs) });
    } catch (err) {
      if (err instanceof ConformTaskFailed) results.push({ error: err.message, retryable: err.retryable, code: err.code });
      else if (err instanceof ConformInputError) results.push({ invalid: err.code, retryable: err.retryable });
      else throw err;
    }
  }
  await task.close();
  return results;
}

async function records(runId: string): Promise<Record<string, string>[]> {
  const entries = await redis.client.xrange(conformanceLedgerKey(runId), '-', '+');
  return entries.map(([, f]) => {
    const r: Record<string, string> = {};
    for (let i = 0; i < f.length; i += 2) r[f[i]!] = f[i + 1]!;
    return r;
  });
}

describe('ledger records against a real Redis', () => {
  it('both helpers write identical records (fields, order, values but ts) and the same results', async () => {
    const ts = await tsCalls('run-ts');
    const py = pythonEmit({ ledger: { url: redis.url, runId: 'run-py', worker: 'w-1', calls: CALLS } }).ledger!;
    expect(ts[1]).toMatchObject({ retryable: true, code: 'AGENT_FAILED' });
    expect(ts[4]).toMatchObject({ retryable: false, code: 'AGENT_FAILED' });
    expect(ts[6]).toEqual({ invalid: 'INVALID_INPUT', retryable: false });
    const comparable = (r: Record<string, unknown>) => ('invalid' in r ? { invalid: true } : { ...r, code: undefined });
    expect(py.map((r) => comparable(r as Record<string, unknown>))).toEqual(ts.map((r) => comparable(r as Record<string, unknown>)));

    const [tsRecs, pyRecs] = [await records('run-ts'), await records('run-py')];
    const noTs = (rs: Record<string, string>[]) => rs.map(({ ts: _ts, ...rest }) => rest);
    expect(noTs(tsRecs)).toEqual(noTs(pyRecs));
    expect(tsRecs.map((r) => Object.keys(r))).toEqual(pyRecs.map((r) => Object.keys(r)));
    for (const r of [...tsRecs, ...pyRecs]) expect(Math.abs(Number(r.ts) - Date.now())).toBeLessThan(60_000);
    expect(tsRecs.map((r) => `${r.type}:${r.stage}:${r.attempt}:${r.ok ?? ''}`)).toEqual([
      'start:pre_test:1:', 'end:pre_test:1:1', 'start:analyse_batch:1:', 'end:analyse_batch:1:0', 'start:analyse_batch:2:', 'end:analyse_batch:2:1',
      'start:review:1:', 'end:review:1:1', 'start:moderation:1:', 'end:moderation:1:0', 'dead:moderation:1:',
    ]);
    expect(tsRecs[1]).toMatchObject({ experiment: 'led-1', index: '0', worker: 'w-1', output: PRE });
    expect(tsRecs[3]!.error).toBe('directive fail: analyse_batch[1] attempt 1');
    expect(tsRecs[10]!.reason).toBe('permanent failure: directive reject');
  });

  it('an exit directive: a start record and no end record, in both languages', async () => {
    const exitInput = input('ex-1', 1, [{ do: 'exit', stage: 'pre_test', attempts: [1] }]);
    const call = { input: exitInput, stage: 'pre_test', index: 0, attempt: 1, inputs: [] };
    const py = python(['exit'], call, { FANIN_LEDGER_URL: redis.url, FANIN_RUN_ID: 'exit-py', FANIN_WORKER_ID: 'w-x' });
    expect(py.status).toBe(1);
    expect(py.stdout).toBe('');

    const exited: number[] = [];
    const task = conformTask({ ledger: redis.url, runId: 'exit-ts', worker: 'w-x', exit: (code) => { exited.push(code); throw new Error('exited'); } });
    await expect(task.run(call.input, call.stage, call.index, call.attempt, call.inputs)).rejects.toThrow('exited');
    await task.close();
    expect(exited).toEqual([1]);
    const strip = (rs: Record<string, string>[]) => rs.map(({ ts: _ts, ...rest }) => rest);
    expect(strip(await records('exit-ts'))).toEqual([{ type: 'start', experiment: 'ex-1', stage: 'pre_test', index: '0', attempt: '1', worker: 'w-x' }]);
    expect(strip(await records('exit-py'))).toEqual(strip(await records('exit-ts')));
  });
});
