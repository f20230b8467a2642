/**
 * `--scenario all`: every scenario of the catalog on both transports, each with its expected
 * verdict; a matrix of scenario × transport → completion, lost, duplicates, pending, p95,
 * verdict, expected, match. Passes only when every verdict matches its expectation.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError, FaninError } from '../../src/index.js';
import { escapeMarkdownCell } from '../reporters/escape.js';
import { writeReports } from '../reporters/write-reports.js';
import { knownScenarios, loadScenario } from '../scenario/load-scenario.js';
import { diagnose, type DiagnoseOptions } from './diagnose.js';
import { interruptSignalOf } from './interrupt.js';

export interface MatrixRow {
  scenario: string;
  transport: 'streams' | 'lists';
  expected: 'pass' | 'fail';
  verdict: 'pass' | 'fail' | 'error';
  match: boolean;
  completionRate: number | null;
  lost: number | null;
  duplicates: number | null;
  pending: number | null;
  p95: number | null;
  /** why it failed (first reasons) or the error */
  detail: string;
  report: string | null;
}

export interface MatrixResult {
  schema: 'fanin.matrix/v1';
  createdAt: string;
  runs: number;
  rows: MatrixRow[];
  allMatch: boolean;
  /** present when Ctrl-C or SIGTERM stopped the matrix: the rows so far (the last one partial) */
  interrupted?: { signal: 'SIGINT' | 'SIGTERM' };
}

export async function runMatrix(
  base: Omit<DiagnoseOptions, 'scenario' | 'transport'>,
  opts: { reportDir: string; transports?: ('streams' | 'lists')[]; scenarios?: string[]; onRow?: (r: MatrixRow) => void; signal?: AbortSignal },
): Promise<MatrixResult> {
  const rows: MatrixRow[] = [];
  const names = opts.scenarios ?? knownScenarios();
  for (const name of names) {
    if (opts.signal?.aborted) break;
    const scenario = await loadScenario(name);
    for (const transport of opts.transports ?? (['streams', 'lists'] as const)) {
      if (opts.signal?.aborted) break;
      let row: MatrixRow;
      try {
        const { results, history } = await diagnose({ ...base, scenario: name, transport, keepRedis: false }, { signal: opts.signal });
        const written = await writeReports(results, history, { dir: opts.reportDir });
        const verdict = results.verdict.passed ? 'pass' : 'fail';
        const m = results.metrics;
        row = {
          scenario: name, transport, expected: scenario.expect.verdict, verdict, match: verdict === scenario.expect.verdict,
          completionRate: m.completion_rate ?? null, lost: m.lost ?? null, duplicates: m.duplicates ?? null, pending: m.pending ?? null,
          p95: m['e2e.p95'] ?? null, detail: results.verdict.reasons.slice(0, 2).join('; '), report: written.dir,
        };
      } catch (err) {
        // a start-up guard that refuses the setup (a wrong-type key) is a detected failure
        const detected = err instanceof FaninError && err.code === 'WRONG_KEY_TYPE';
        const verdict = detected ? 'fail' : 'error';
        row = {
          scenario: name, transport, expected: scenario.expect.verdict, verdict, match: verdict === scenario.expect.verdict,
          completionRate: null, lost: null, duplicates: null, pending: null, p95: null, detail: describeError(err), report: null,
        };
      }
      rows.push(row);
      opts.onRow?.(row);
    }
  }
  const interrupted = interruptSignalOf(opts.signal);
  return {
    schema: 'fanin.matrix/v1', createdAt: new Date().toISOString(), runs: base.runs ?? 0, rows, allMatch: !interrupted && rows.every((r) => r.match),
    ...(interrupted ? { interrupted: { signal: interrupted } } : {}),
  };
}

const num = (v: number | null, digits = 0) => (v === null ? '-' : v.toFixed(digits));

export function matrixMarkdown(m: MatrixResult): string {
  return [
    `## fanin scenario matrix: ${m.interrupted ? `⏹ interrupted by ${m.interrupted.signal}: a partial matrix` : m.allMatch ? '✅ every verdict matches its expectation' : '❌ some verdicts do not match'}`,
    '',
    `${m.rows.length} runs of ${m.runs} experiments · ${m.createdAt}`,
    '',
    '| scenario | transport | completion | lost | duplicates | pending | e2e p95 ms | verdict | expected | match | detail |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- |',
    ...m.rows.map((r) => `| ${r.scenario} | ${r.transport} | ${r.completionRate === null ? '-' : `${(r.completionRate * 100).toFixed(0)}%`} | ${num(r.lost)} | ${num(r.duplicates)} | ${num(r.pending)} | ${num(r.p95)} | ${r.verdict} | ${r.expected} | ${r.match ? '✅' : '❌'} | ${escapeMarkdownCell(r.detail.slice(0, 160))} |`),
  ].join('\n') + '\n';
}

export async function writeMatrix(m: MatrixResult, reportDir: string): Promise<string> {
  const stamp = m.createdAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const dir = path.join(reportDir, `${stamp}-matrix`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'matrix.json'), `${JSON.stringify(m, null, 2)}\n`);
  await writeFile(path.join(dir, 'matrix.md'), matrixMarkdown(m));
  return dir;
}

/** `--scenario list`: the catalog, one line each. */
export async function catalogLines(): Promise<string[]> {
  const out: string[] = [];
  for (const name of knownScenarios()) {
    const s = await loadScenario(name);
    out.push(`${name.padEnd(24)} expect ${s.expect.verdict.padEnd(4)} ${s.description}`);
  }
  return out;
}
