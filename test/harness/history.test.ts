import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryRecorder, mergeHistory } from '../../harness/history/recorder.js';

describe('history', () => {
  it('merges in-process and file events by time, numbers them and assigns kinds', () => {
    const rec = new HistoryRecorder();
    rec.sink!({ type: 'submitted', ts: 10, pid: 1, component: 'orchestrator', experimentId: 'e' });
    rec.sink!({ type: 'experiment-completed', ts: 40, pid: 1, component: 'worker', experimentId: 'e' });
    const dir = mkdtempSync(join(tmpdir(), 'hist-'));
    const file = join(dir, 'w.ndjson');
    writeFileSync(file, `${JSON.stringify({ type: 'claimed', ts: 20, pid: 2, component: 'worker', taskId: 'e/0/0' })}\nnot json\n${JSON.stringify({ type: 'completed', ts: 30, pid: 2, component: 'worker', taskId: 'e/0/0' })}\n`);
    expect(rec.addNdjsonFile(file)).toEqual({ added: 2, malformed: 1 });
    const h = rec.history();
    expect(h.map((e) => [e.seq, e.type, e.kind])).toEqual([
      [0, 'submitted', 'invoke'],
      [1, 'claimed', 'invoke'],
      [2, 'completed', 'ok'],
      [3, 'experiment-completed', 'ok'],
    ]);
  });

  it('records nothing when disabled (components get no sink)', () => {
    const rec = new HistoryRecorder(false);
    expect(rec.sink).toBeUndefined();
    rec.harness('experiment-timed-out', { experimentId: 'x' });
    expect(rec.size).toBe(0);
  });

  it('keeps insertion order for equal timestamps', () => {
    const h = mergeHistory([
      { type: 'claimed', ts: 5, pid: 1, component: 'worker', taskId: 'a' },
      { type: 'completed', ts: 5, pid: 1, component: 'worker', taskId: 'a' },
    ]);
    expect(h.map((e) => e.type)).toEqual(['claimed', 'completed']);
  });
});
