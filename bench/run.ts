/**
 * `npm run bench`: every benchmark of the project in one run, figures side by side.
 * For now the core benchmark (both transports); peers arrive with the benchmark issue.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchCore, formatCoreResults, type CoreBenchResult } from './core.js';

const experiments = Number(process.env.FANIN_BENCH_EXPERIMENTS ?? 3000);
const results: CoreBenchResult[] = [];
for (const transport of ['streams', 'lists'] as const) {
  results.push(await benchCore({ transport, experiments, concurrency: 16, warmup: 300 }));
}
process.stdout.write(`${formatCoreResults(results)}\n`);
mkdirSync('reports', { recursive: true });
writeFileSync('reports/bench-core.json', JSON.stringify(results, null, 2));
process.stdout.write('written: reports/bench-core.json\n');
process.exit(0);
