/**
 * `fanin init` from the source tree: the three files in an empty folder; a second init keeps them
 * byte for byte (reported as kept); the workflow parses as YAML (the `yaml` devDependency) and
 * runs the diagnose on each push; the config file validates and holds the default gates; the
 * starter pipeline (its `'fanin'` import pointed at the sources) passes 3 runs against its
 * golden reference on a real redis-server. The installed package's init is in test/e2e.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfigFile } from '../../harness/gates/config-file.js';
import { DEFAULT_THRESHOLDS } from '../../harness/gates/threshold.js';
import { formatInit, initProject } from '../../harness/init/init-project.js';
import { diagnose } from '../../harness/runner/diagnose.js';

const FILES = ['fanin.pipeline.ts', 'fanin.config.json', '.github/workflows/fanin.yml'];

describe('fanin init', () => {
  it('writes the three files, then keeps them byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanin-init-'));
    const first = initProject(dir);
    expect(first).toEqual({ dir, written: FILES, kept: [] });
    expect(formatInit(first)).toContain('wrote fanin.pipeline.ts');
    const before = FILES.map((f) => readFileSync(join(dir, f)));
    writeFileSync(join(dir, 'fanin.config.json'), '{"thresholds":["lost==0"]}\n'); // the user's edit survives too
    const second = initProject(dir);
    expect(second).toEqual({ dir, written: [], kept: FILES });
    expect(formatInit(second)).toContain('kept fanin.config.json (it exists; not overwritten)');
    expect(readFileSync(join(dir, 'fanin.config.json'), 'utf8')).toBe('{"thresholds":["lost==0"]}\n');
    expect(readFileSync(join(dir, FILES[0]))).toEqual(before[0]);
    expect(readFileSync(join(dir, FILES[2]))).toEqual(before[2]);
  });

  it('the workflow is YAML that diagnoses the pipeline on each push; the config holds the default gates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanin-init-'));
    initProject(dir);
    const wf = parseYaml(readFileSync(join(dir, FILES[2]), 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, { 'runs-on': string; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }> };
    expect(Object.keys(wf.on)).toEqual(['push']);
    const steps = wf.jobs.diagnose.steps;
    expect(steps.map((s) => s.uses ?? s.run)).toEqual([
      'actions/checkout@v4', 'actions/setup-node@v4', 'sudo apt-get update && sudo apt-get install -y redis-server', 'npm ci',
      'npx fanin diagnose --pipeline fanin.pipeline.ts', 'actions/upload-artifact@v4',
    ]);
    expect(steps[1].with).toMatchObject({ 'node-version': 20 });
    const { config } = await loadConfigFile(undefined, dir);
    expect(config.thresholds).toEqual(DEFAULT_THRESHOLDS);
  });

  it('the starter pipeline passes 3 runs against its golden reference', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanin-init-'));
    initProject(dir);
    const source = readFileSync(join(dir, FILES[0]), 'utf8');
    expect(source).toContain("import { definePipeline } from 'fanin';");
    const local = join(dir, 'starter-local.ts');
    writeFileSync(local, source.replace("from 'fanin'", `from '${pathToFileURL(join(import.meta.dirname, '../../src/index.ts')).href}'`));
    const { results } = await diagnose({ pipeline: local, runs: 3 });
    expect(results.verdict).toEqual({ passed: true, exitCode: 0, reasons: [] });
    expect(results.config.pipeline).toBe('starter');
    expect(results.checkers.find((c) => c.name === 'reference')!.summary).toBe('3 completed experiments reproduce the golden reference');
  });
});
