/**
 * `npm run bench`: every benchmark of the project in one run, figures side by side.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchCore, formatCoreResults, type CoreBenchResult } from './core.js';
import { benchAudit, formatAuditResult } from './audit.js';
import { benchHarness, formatHarnessResults } from './harness.js';

const experiments = Number(process.env.FANIN_BENCH_EXPERIMENTS ?? 3000);
const core: CoreBenchResult[] = [];
for (const transport of ['streams', 'lists'] as const) {
  core.push(await benchCore({ transport, experiments, concurrency: 16, warmup: 300 }));
}
process.stdout.write(`${formatCoreResults(core)}\n\n`);
const harness = await benchHarness({ big: 1000, repeat: 3, recorderRuns: 300 });
process.stdout.write(`${formatHarnessResults(harness)}\n\n`);
const audit = await benchAudit(100_000);
process.stdout.write(`${formatAuditResult(audit)}\n`);
mkdirSync('reports', { recursive: true });
writeFileSync('reports/bench.json', JSON.stringify({ core, harness, audit }, null, 2));
process.stdout.write('written: reports/bench.json\n');
process.exit(0);
