import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AgentError, FaninError, type TaskContext } from '../../../src/index.js';
import { withExecutionRecording } from '../../../harness/history/record-executions.js';
import type { HistoryEvent } from '../../../harness/history/types.js';

type Raw = Omit<HistoryEvent, 'seq' | 'kind'>;
const STAGES = ['pre_test', 'analyse_batch'];

function ctx(controller = new AbortController(), attempt = 1): TaskContext {
  return { experimentId: 'e1', stage: 'analyse_batch', index: 2, width: 3, attempt, params: {}, inputs: [], inputHashes: [], missing: [], expectedInputs: 1, load: async () => null, signal: controller.signal };
}

async function run(handler: (c: TaskContext) => Promise<{ output: unknown }>, c: TaskContext, abort?: (ac: AbortController) => void, ac?: AbortController): Promise<Raw[]> {
  const events: Raw[] = [];
  const wrapped = withExecutionRecording({ analyse_batch: handler }, (e: Raw) => void events.push(e), STAGES);
  const p = Promise.resolve(wrapped.analyse_batch(c)).catch(() => undefined);
  if (abort && ac) abort(ac);
  await p;
  return events;
}

describe('agent executions recorded by the handler wrapper', () => {
  it('records start and end, with the task, attempt and process; ok when the handler returned', async () => {
    const events = await run(async () => ({ output: 1 }), ctx(undefined, 2));
    expect(events.map((e) => [e.type, e.outcome])).toEqual([['agent-started', undefined], ['agent-ended', 'ok']]);
    expect(events[0]).toMatchObject({ taskId: 'e1/1/2', experimentId: 'e1', stage: 'analyse_batch', stageIndex: 1, index: 2, attempt: 2, pid: process.pid, component: 'worker' });
    expect(events[1].ts).toBeGreaterThanOrEqual(events[0].ts);
  });

  it('threw when the handler failed on its own (with the cause)', async () => {
    const events = await run(async () => {
      throw new Error('model refused');
    }, ctx());
    expect(events[1]).toMatchObject({ type: 'agent-ended', outcome: 'threw', cause: 'model refused' });
  });

  it('timed-out when the core ended the attempt at its timeout; aborted when it cancelled it', async () => {
    const slow = (c: TaskContext) => new Promise<{ output: unknown }>((_, reject) => c.signal.addEventListener('abort', () => reject(c.signal.reason)));
    const ac1 = new AbortController();
    const timedOut = await run(slow, ctx(ac1), (a) => a.abort(new AgentError('attempt 1 timed out after 300 ms')), ac1);
    expect(timedOut[1].outcome).toBe('timed-out');
    const ac2 = new AbortController();
    const cancelled = await run(slow, ctx(ac2), (a) => a.abort(new FaninError('CANCELLED', 'its experiment ended')), ac2);
    expect(cancelled[1].outcome).toBe('aborted');
  });

  it('a handler that returns after its attempt ended is not ok (its result is discarded)', async () => {
    const ac = new AbortController();
    const late = (c: TaskContext) => new Promise<{ output: unknown }>((resolve) => c.signal.addEventListener('abort', () => setTimeout(() => resolve({ output: 1 }), 1)));
    const events = await run(late, ctx(ac), (a) => a.abort(new FaninError('LEASE_LOST', 'another worker has it')), ac);
    expect(events[1].outcome).toBe('aborted');
  });

  it('without a sink the handlers are returned as they are', () => {
    const handlers = { analyse_batch: async () => ({ output: 1 }) };
    expect(withExecutionRecording(handlers, undefined, STAGES)).toBe(handlers);
  });

  it('in a worker process the executions reach the parent over IPC', async () => {
    const module = fileURLToPath(new URL('../../../harness/history/record-executions.ts', import.meta.url));
    const script = `
      const { ipcExecutionSink, withExecutionRecording } = await import(${JSON.stringify(module)});
      const h = withExecutionRecording({ review: async () => ({ output: 1 }) }, ipcExecutionSink(), ['a', 'b', 'c', 'review']);
      await h.review({ experimentId: 'e9', stage: 'review', index: 1, attempt: 1, signal: new AbortController().signal });
      process.disconnect();
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const got: Raw[] = [];
    child.on('message', (m) => got.push(m as Raw));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect(got.map((e) => [e.type, e.taskId, e.outcome, e.pid])).toEqual([['agent-started', 'e9/3/1', undefined, child.pid], ['agent-ended', 'e9/3/1', 'ok', child.pid]]);
  }, 30_000);
});
