/**
 * results.json has one schema: the zod schema (harness/results/results-zod.ts), tied to the
 * TypeScript types at compile time, published as docs/results.schema.json. The committed file
 * must equal what the generator produces now, and the results files real diagnose runs write
 * (each on its own embedded redis-server) must parse under the strict schema, and every metric
 * and checker they hold must be documented in docs/metrics.md.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIssues } from '../../src/index.js';
import { essentialResultsSchema } from '../../harness/regression/results-schema.js';
import { writeReports } from '../../harness/reporters/write-reports.js';
import { RESULTS_JSON_SCHEMA_PATH, resultsJsonSchemaText } from '../../harness/results/results-json-schema.js';
import { resultsSchema } from '../../harness/results/results-zod.js';
import { diagnose, type DiagnoseOptions } from '../../harness/runner/diagnose.js';

const ROOT = join(import.meta.dirname, '../..');
const WORD_COUNT = join(import.meta.dirname, 'fixtures/pipelines/word-count.ts');
const reportDir = mkdtempSync(join(tmpdir(), 'fanin-results-schema-'));

/** Runs diagnose and returns the path and parsed JSON of the results.json it wrote. */
async function resultsFileOf(options: DiagnoseOptions): Promise<{ file: string; json: unknown }> {
  const { results, history } = await diagnose(options);
  const written = await writeReports(results, history, { dir: reportDir, formats: ['json'] });
  const file = join(written.dir, 'results.json');
  return { file, json: JSON.parse(readFileSync(file, 'utf8')) };
}

function problemsOf(json: unknown): string[] {
  const parsed = resultsSchema.safeParse(json);
  return parsed.success ? [] : formatIssues(parsed.error.issues);
}

describe('docs/results.schema.json', () => {
  it('equals what the zod schema generates now', () => {
    const committed = readFileSync(join(ROOT, RESULTS_JSON_SCHEMA_PATH), 'utf8');
    expect(committed, `${RESULTS_JSON_SCHEMA_PATH} is out of date: run \`npm run schema\` and commit it`).toBe(resultsJsonSchemaText());
  });

  it('forbids unknown fields and names every required top-level field', () => {
    const schema = JSON.parse(resultsJsonSchemaText()) as { additionalProperties: boolean; required: string[] };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['schema', 'id', 'createdAt', 'durationMs', 'config', 'seed', 'versions', 'expected', 'runs', 'metrics', 'latency', 'checkers', 'health', 'gates', 'regression', 'slowestRun', 'verdict']);
  });
});

describe('results.json files of real runs parse under the strict schema', () => {
  let happy: { file: string; json: unknown };

  beforeAll(async () => {
    happy = await resultsFileOf({ runs: 2 });
  }, 120_000);

  it('a happy-path run (2 runs): valid, every field known', () => {
    expect(problemsOf(happy.json)).toEqual([]);
    expect(essentialResultsSchema.safeParse(happy.json).success).toBe(true);
  });

  it('every metric and checker of the run is documented in docs/metrics.md', () => {
    const doc = readFileSync(join(ROOT, 'docs/metrics.md'), 'utf8');
    const parsed = resultsSchema.parse(happy.json);
    const metrics = [...new Set(Object.keys(parsed.metrics).map((m) => m.replace(/^stage\.[a-z0-9_]+\./, 'stage.<stage>.')))];
    expect(metrics.length).toBeGreaterThan(30);
    expect(metrics.filter((m) => !doc.includes(`| \`${m}\` |`))).toEqual([]);
    expect(parsed.checkers.map((c) => c.name).filter((name) => !doc.includes(`| \`${name}\` |`))).toEqual([]);
  });

  it('the no-fan-in variant against a baseline (failed gates, evidence, a regression verdict): valid', async () => {
    const { json } = await resultsFileOf({ runs: 2, variant: 'no-fan-in', runTimeoutMs: 2000, baseline: happy.file, force: true });
    const parsed = resultsSchema.parse(json);
    expect(parsed.verdict.exitCode).toBe(1);
    expect(parsed.regression?.passed).toBe(false);
    expect(parsed.gates.some((g) => g.passed === false && g.reason)).toBe(true);
    expect(parsed.checkers.some((c) => c.valid === false && c.evidence.length > 0)).toBe(true);
  }, 120_000);

  it('a pipeline module with stub agents (notes, pipelineModule, no corpus): valid', async () => {
    const { json } = await resultsFileOf({ runs: 2, pipeline: WORD_COUNT, stubAgents: true });
    const parsed = resultsSchema.parse(json);
    expect(parsed.config).toMatchObject({ pipeline: 'word_count', stubAgents: true, corpus: null });
    expect(parsed.notes?.length).toBeGreaterThan(0);
  }, 120_000);

  it('a wrong or unknown field fails with its path', () => {
    const bad = structuredClone(happy.json) as { runs: { status: string }[]; config: Record<string, unknown>; health: { taskKeys: Record<string, unknown> } };
    bad.runs[1].status = 'done';
    bad.config.colour = 'blue';
    delete bad.health.taskKeys.total;
    const problems = problemsOf(bad);
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^config: Unrecognized key\(s\) in object: 'colour'$/),
      expect.stringMatching(/^runs\[1\]\.status: Invalid enum value\. Expected 'completed' \| 'failed' \| 'timed-out', received 'done'$/),
      expect.stringMatching(/^health\.taskKeys\.total: Required$/),
    ]));
  });

  it('another schema id is refused by the full and the essential schema alike', () => {
    const other = { ...(happy.json as object), schema: 'fanin.results/v0' };
    expect(problemsOf(other)).toEqual(['schema: must be "fanin.results/v1"']);
    const essential = essentialResultsSchema.safeParse(other);
    expect(essential.success ? [] : formatIssues(essential.error.issues)).toEqual(['schema: must be "fanin.results/v1"']);
  });
});
