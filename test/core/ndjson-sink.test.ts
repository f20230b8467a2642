/**
 * The `--events FILE` sink keeps every event a process emitted before it was SIGKILLed: crash
 * forensics (which tasks the killed worker had claimed) is what the file is for.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'fanin-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ndjsonFileSink', () => {
  it('holds all 500 events of a process killed with SIGKILL right after emitting them', () => {
    const file = join(dir, 'events.ndjson');
    const script = `
      const { ndjsonFileSink } = await import(${JSON.stringify(join(import.meta.dirname, '../../src/cli/ndjson-sink.ts'))});
      const s = ndjsonFileSink(${JSON.stringify(file)});
      for (let i = 0; i < 500; i++) s.sink({ type: 'claimed', index: i });
      process.kill(process.pid, 'SIGKILL');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.signal).toBe('SIGKILL');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(500);
    expect(JSON.parse(lines[499]!)).toEqual({ type: 'claimed', index: 499 });
  });
});
