/**
 * `npm run bench`: every benchmark in one run, figures side by side.
 *   micro (tinybench) · macro: fanin streams/lists vs BullMQ vs polling vs bare streams, median of
 *   3 rotated repetitions, plus scaling and fanin streams with 1 and 2 worker processes per stage · core (commands per experiment both ways) · harness · audit.
 * Writes bench/results/<timestamp>.json, .md and .svg (throughput and p99 per design and
 * concurrency). FANIN_BENCH_QUICK=1 runs a shorter version.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchAudit, formatAuditResult } from './audit.js';
import { runCompare } from './compare.js';
import { compareMarkdown, compareSvg } from './compare-report.js';
import { benchCore, formatCoreResults, type CoreBenchResult } from './core.js';
import { benchHarness, formatHarnessResults } from './harness.js';
import { microMarkdown, runMicro } from './micro.js';

const quick = process.env.FANIN_BENCH_QUICK === '1';
const say = (s: string) => process.stdout.write(`${s}\n\n`);

const micro = await runMicro();
say(microMarkdown(micro));
const compare = await runCompare({ reps: 3, experiments: quick ? 500 : 3000, seconds: quick ? 3 : 8, warmupSeconds: 1, scaling: true, scalingSeconds: quick ? 2 : 4, processes: true });
say(compareMarkdown(compare));
const core: CoreBenchResult[] = [];
for (const transport of ['streams', 'lists'] as const) core.push(await benchCore({ transport, experiments: quick ? 1000 : 3000, concurrency: 16, warmup: 300 }));
say(formatCoreResults(core));
const harness = await benchHarness({ big: quick ? 300 : 1000, repeat: 3, recorderRuns: quick ? 100 : 300 });
say(formatHarnessResults(harness));
const audit = await benchAudit(100_000);
say(formatAuditResult(audit));

const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
mkdirSync('bench/results', { recursive: true });
const base = `bench/results/${stamp}`;
writeFileSync(`${base}.json`, JSON.stringify({ micro, compare, core, harness, audit }, null, 2));
writeFileSync(`${base}.md`, [microMarkdown(micro), compareMarkdown(compare), formatCoreResults(core), formatHarnessResults(harness), formatAuditResult(audit)].join('\n\n') + '\n');
writeFileSync(`${base}.svg`, compareSvg(compare));
say(`written: ${base}.json, ${base}.md, ${base}.svg`);
process.exit(0);
