/**
 * A system whose workers compute nothing themselves: the docs' minimal Python system with its
 * task function replaced by a plain NDJSON client of `fanin agent --serve` (no fanin helper
 * imported), reaches L4 (one scenario per level) under the real `fanin conform`.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fanin, ROOT } from '../harness/cli-helpers.js';
import { exampleFiles } from './docs-example-files.js';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const dir = mkdtempSync(join(tmpdir(), 'fanin-agent-sut-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeSystem(): string {
  const agent = JSON.stringify(['node', join(ROOT, 'bin/fanin.js'), 'agent', '--serve']);
  for (const [name, text] of exampleFiles()) {
    let body = text.replace('from fanin_conform import', 'from agent_task import');
    if (name === 'fanin.sut.json') {
      const sut = JSON.parse(body.replaceAll('"python3"', JSON.stringify(PYTHON)));
      sut.name = 'agent-serve-python';
      for (const p of sut.processes) p.env = { AGENT_COMMAND: agent };
      body = JSON.stringify(sut, null, 2);
    }
    writeFileSync(join(dir, name), body);
  }
  copyFileSync(join(ROOT, 'test/conform/fixtures/agent_task.py'), join(dir, 'agent_task.py'));
  return join(dir, 'fanin.sut.json');
}

describe('fanin agent --serve behind a plain NDJSON client', () => {
  it('the system reaches L4 (one scenario per level)', async () => {
    const sut = writeSystem();
    const r = await fanin(['conform', '--sut', sut, '--quick', '--runs', '2', '--json', '--report-dir', join(dir, 'reports')]);
    if (!r.stdout.trim().startsWith('{')) throw new Error(`fanin conform printed no results (exit ${r.code}): ${r.stderr}`);
    const results = JSON.parse(r.stdout);
    const evidence = results.levels.flatMap((l: { scenarios: { evidence: string[] }[] }) => l.scenarios.flatMap((s) => s.evidence));
    expect(evidence).toEqual([]);
    expect(results.level).toBe(4);
    expect(r.code).toBe(0);
  }, 300_000);
});
