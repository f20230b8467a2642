/**
 * The README is the newcomer's page: short, linking every reference page, and its pipeline
 * example is real — extracted from README.md as written and diagnosed by the CLI (its own
 * embedded redis-server), in-process workers and worker processes, against its golden answer;
 * a copy in fixtures/pipelines/readme-example.ts is typechecked.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiagnoseResults } from '../../harness/results/types.js';
import { fanin, ROOT } from './cli-helpers.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The ```ts block of README.md that default-exports definePipeline(...). */
function pipelineExample(): string {
  const blocks = [...README.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  const example = blocks.filter((b) => b.includes('export default definePipeline('));
  expect(example).toHaveLength(1);
  return example[0];
}

/** The example as a user's fanin.pipeline.ts in a fresh ESM folder, `'fanin'` resolved to this checkout. */
function writeExample(): string {
  const code = pipelineExample();
  expect(code).toContain("from 'fanin';");
  const dir = mkdtempSync(join(tmpdir(), 'fanin-readme-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'fanin.pipeline.ts'), code.replace("from 'fanin';", `from ${JSON.stringify(join(ROOT, 'src/index.ts'))};`));
  return dir;
}

describe('README.md', () => {
  it('is at most 250 lines and starts with what fanin is for, then the two set-up commands', () => {
    const lines = README.split('\n');
    expect(lines.length).toBeLessThanOrEqual(250);
    const firstScreen = lines.slice(0, 40).join('\n');
    expect(firstScreen).toContain('npm ci && npm run diagnose -- --runs 10');
    expect(firstScreen).toContain('npm test');
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(['diagnose', 'test']));
  });

  it('links every page of docs/', () => {
    const pages = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md') || f.endsWith('.json'));
    expect(pages.filter((p) => !README.includes(`](docs/${p})`))).toEqual([]);
  });

  it('the pipeline example is about 20 lines of code, and the typechecked fixture is the same code', () => {
    const example = pipelineExample();
    expect(example.trimEnd().split('\n').length).toBeLessThanOrEqual(25);
    // npm run typecheck compiles the fixture: the example is correct against the real API
    const fixture = readFileSync(join(import.meta.dirname, 'fixtures/pipelines/readme-example.ts'), 'utf8');
    expect(fixture.replace("from '../../../../src/index.js';", "from 'fanin';"), 'copy the README example to test/harness/fixtures/pipelines/readme-example.ts').toBe(example);
  });

  it.each([['inline'], ['process']])('the pipeline example diagnoses clean with %s workers: exit 0, the golden answer reproduced', async (workerMode) => {
    const dir = writeExample();
    const r = await fanin(['diagnose', '--pipeline', './fanin.pipeline.ts', '--runs', '3', '--worker-mode', workerMode, '--json', '--report-dir', join(dir, 'reports')], {}, dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as DiagnoseResults;
    expect(results.config).toMatchObject({ pipeline: 'word_total', pipelineModule: './fanin.pipeline.ts', workerMode });
    expect(results.checkers.every((c) => c.valid === true)).toBe(true);
    // per run: 1 split + 3 count + 1 total + 1 report
    expect(results.checkers.find((c) => c.name === 'lost-tasks')!.summary).toBe('no lost tasks (18 enqueued)');
    expect(results.checkers.find((c) => c.name === 'reference')!.summary).toBe('3 completed experiments reproduce the golden reference');
  }, 60_000);
});
