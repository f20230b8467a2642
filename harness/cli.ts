/**
 * `fanin` command line (yargs wiring only). Harness commands: `diagnose` (the main job) and
 * `compare A B`; the core's `worker`, `orchestrator` and `submit` are delegated to src/cli.ts.
 * Exit codes: 0 all gates passed · 1 a gate, checker or regression failed · 2 usage or
 * configuration error · 3 Redis could not be started or reached.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CORE_COMMANDS, coreMain, parseReportingErrors } from '../src/index.js';
import { consoleReporter } from './reporters/console.js';
import { parseFormats } from './reporters/index.js';
import { writeReports } from './reporters/write-reports.js';
import { compareResults, formatComparison, loadResults } from './regression/compare.js';
import { diagnose } from './runner/diagnose.js';
import { catalogLines, matrixMarkdown, runMatrix, writeMatrix } from './runner/matrix.js';
import { progressPrinter } from './runner/progress.js';
import { knownScenarios } from './scenario/load-scenario.js';
import { join } from 'node:path';
import { parseDuration } from './audit/duration.js';
import { renderAuditConsole } from './audit/report/render-audit-console.js';
import { parseAuditFormats, writeAuditReports } from './audit/report/write-audit-reports.js';
import { runAudit } from './audit/run-audit.js';
import { redact } from './reporters/redact.js';
import { loadConfigFile } from './gates/config-file.js';

/** Writes to stdout and resolves once the data is handed to the OS (safe before process.exit). */
function out(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}

export async function run(argv: string[]): Promise<number> {
  if (argv[0] && CORE_COMMANDS.includes(argv[0])) return coreMain(argv);
  let code = 0;
  const parser = yargs(argv)
    .scriptName('fanin')
    .strict()
    .command(
      ['diagnose', '$0'],
      'run the real pipeline N times against a fresh Redis, check invariants, gate, write reports',
      (y) =>
        y
          .option('runs', { type: 'number', describe: 'experiments to run (default: scenario, else 10)' })
          .option('concurrency', { type: 'number', describe: 'experiments in flight (default: scenario, else min(runs, 16))' })
          .option('transport', { choices: ['streams', 'lists'] as const, describe: 'coordination transport (default streams)' })
          .option('workers', { type: 'number', default: 1, describe: 'workers per stage' })
          .option('worker-mode', { choices: ['inline', 'process'] as const, default: 'inline' as const, describe: 'workers in this process, or as separate OS processes' })
          .option('latency-model', { type: 'string', default: 'none', describe: 'none | llm | a JSON file of per-stage distributions (seeded)' })
          .option('seed', { type: 'number', default: 1, describe: 'seed of the latency model and fault schedules' })
          .option('run-timeout', { type: 'number', describe: 'ms to wait for each experiment before it counts as timed out (default 10000)' })
          .option('scenario', { type: 'string', default: 'happy-path', describe: `scenario name, "all" (the matrix on both transports) or "list" (${knownScenarios().join(', ')})` })
          .option('variant', { type: 'string', describe: 'run a known-bad variant from fixtures/variants (e.g. no-fan-in)' })
          .option('corpus', { type: 'string', describe: 'corpus folder (default fixtures/corpus)' })
          .option('framework', { type: 'string', describe: 'framework JSON (default fixtures/frameworks/chf-v1.1.json)' })
          .option('redis', { type: 'string', describe: 'use an existing Redis (redis:// or rediss://); only this run\'s key prefix is touched' })
          .option('provider', { choices: ['embedded', 'container', 'url'] as const, describe: 'how to get a Redis (default embedded; url with --redis)' })
          .option('shards', { type: 'number', default: 1, describe: 'number of shards' })
          .option('report-dir', { type: 'string', default: 'reports', describe: 'where reports/<timestamp>-<id>/ and reports/latest go' })
          .option('format', { type: 'string', default: 'json,markdown,junit,html', describe: 'report files: json, markdown, junit, html (comma list)' })
          .option('baseline', { type: 'string', describe: 'results.json of an earlier run: add a regression verdict' })
          .option('tolerance', { type: 'number', describe: 'allowed p95 latency growth against the baseline (default 0.2)' })
          .option('threshold', { type: 'string', array: true, default: [] as string[], describe: 'gate, e.g. completion_rate>=0.95, e2e.p95<2000 (repeatable)' })
          .option('config', { type: 'string', describe: 'config file (default fanin.config.ts|json if present)' })
          .option('json', { type: 'boolean', default: false, describe: 'print results.json to stdout and nothing else' })
          .option('quiet', { type: 'boolean', default: false, describe: 'no progress and no table: only the verdict line' })
          .option('keep-redis', { type: 'boolean', default: false, describe: 'leave the Redis running and print its URL' })
          .option('no-record', { type: 'boolean', default: false, hidden: true, describe: 'do not record the history (overhead benchmark only)' }),
      async (a) => {
        const { config } = await loadConfigFile(a.config);
        const formats = parseFormats(a.format);
        if (a.scenario === 'list') {
          await out(`${(await catalogLines()).join('\n')}\n`);
          return;
        }
        if (a.scenario === 'all') {
          const m = await runMatrix(
            {
              runs: a.runs ?? config.runs ?? 20, concurrency: a.concurrency ?? config.concurrency, workers: a.workers, workerMode: a['worker-mode'],
              latencyModel: a['latency-model'], seed: a.seed, runTimeoutMs: a['run-timeout'] ?? config.runTimeoutMs, variant: a.variant ?? null,
              corpus: a.corpus, framework: a.framework, redis: a.redis, provider: a.provider, shards: a.shards,
              thresholds: [...config.thresholds, ...a.threshold], tolerance: a.tolerance ?? config.tolerance,
            },
            {
              reportDir: a['report-dir'],
              transports: a.transport ? [a.transport] : undefined,
              onRow: a.quiet || a.json ? undefined : (r) => void process.stderr.write(`${r.match ? 'ok  ' : 'MISS'} ${r.scenario} (${r.transport}): ${r.verdict}, expected ${r.expected}\n`),
            },
          );
          const dir = await writeMatrix(m, a['report-dir']);
          if (a.json) await out(`${JSON.stringify(m, null, 2)}\n`);
          else await out(`${matrixMarkdown(m)}\nreports: ${dir}\n`);
          code = m.allMatch ? 0 : 1;
          return;
        }
        const quiet = a.quiet || a.json;
        const runs = a.runs ?? config.runs;
        const { results, history, redis } = await diagnose(
          {
            runs, concurrency: a.concurrency ?? config.concurrency, transport: a.transport ?? config.transport, workers: a.workers,
            workerMode: a['worker-mode'], latencyModel: a['latency-model'], seed: a.seed, runTimeoutMs: a['run-timeout'] ?? config.runTimeoutMs,
            scenario: a.scenario ?? config.scenario, variant: a.variant ?? null, corpus: a.corpus, framework: a.framework, redis: a.redis,
            provider: a.provider, shards: a.shards, thresholds: [...config.thresholds, ...a.threshold], baseline: a.baseline ?? null,
            tolerance: a.tolerance ?? config.tolerance, keepRedis: a['keep-redis'], record: !a['no-record'],
          },
          {
            onProgress: quiet ? undefined : (() => {
              let printer: ReturnType<typeof progressPrinter> | undefined;
              return (p: { done: number; failed: number; total: number }) => {
                printer ??= progressPrinter(process.stderr, p.total);
                printer(p);
              };
            })(),
          },
        );
        const written = await writeReports(results, history, { dir: a["report-dir"], formats });
        if (a.json) await out(`${JSON.stringify(results, null, 2)}\n`);
        else if (a.quiet) await out(`${results.verdict.passed ? 'PASS' : 'FAIL'} ${results.runs.length} runs · reports: ${written.dir}\n`);
        else await out(`${consoleReporter.render(results, history)}\nreports: ${written.dir}\n`);
        if (redis && !a.json) await out(`redis kept running at ${redis.url}\n`);
        code = results.verdict.exitCode;
      },
    )
    .command(
      'compare <baseline> <current>',
      'compare two results.json files: completion rate, new violations, p95 latency',
      (y) =>
        y
          .positional('baseline', { type: 'string', demandOption: true })
          .positional('current', { type: 'string', demandOption: true })
          .option('tolerance', { type: 'number', default: 0.2, describe: 'allowed p95 growth (0.2 = 20%)' }),
      async (a) => {
        const r = compareResults(loadResults(a.baseline), loadResults(a.current), { tolerance: a.tolerance, baselineName: a.baseline });
        await out(`${formatComparison(r)}\n`);
        code = r.passed ? 0 : 1;
      },
    )
    .command(
      'audit',
      'read-only coordination audit of a live Redis: verdicts with evidence and fixes',
      (y) =>
        y
          .option('redis', { type: 'string', demandOption: true, describe: 'the Redis to audit (redis:// or rediss://)' })
          .option('prefix', { type: 'string', describe: 'limit the audit to keys starting with this (a namespace)' })
          .option('mode', { choices: ['fanin', 'generic', 'auto'] as const, default: 'auto' as const, describe: 'fanin-aware rules, generic rules, or both when fanin keys are found' })
          .option('max-keys', { type: 'number', default: 100_000, describe: 'stop after this many keys (SCAN, never KEYS)' })
          .option('pending-age', { type: 'string', default: '60s', describe: 'pending entries idle longer than this are old (500, 30s, 5m)' })
          .option('idle-age', { type: 'string', default: '5m', describe: 'consumers idle longer than this holding entries are dead' })
          .option('stream-length', { type: 'number', default: 1_000_000, describe: 'streams longer than this are reported as unbounded' })
          .option('format', { type: 'string', default: 'console,json,md', describe: 'console, json (audit.json), md (audit.md)' })
          .option('report-dir', { type: 'string', default: 'reports', describe: 'audit files go to <dir>/audit-<timestamp>/' })
          .option('json', { type: 'boolean', default: false, describe: 'print audit.json to stdout and nothing else' }),
      async (a) => {
        const formats = parseAuditFormats(a.format);
        const report = await runAudit({
          redis: a.redis, prefix: a.prefix ?? null, mode: a.mode, maxKeys: a['max-keys'], streamLength: a['stream-length'],
          pendingAgeMs: parseDuration(a['pending-age'], '--pending-age'), idleAgeMs: parseDuration(a['idle-age'], '--idle-age'),
        });
        const stamp = report.startedAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
        const files = await writeAuditReports(report, join(a['report-dir'], `audit-${stamp}`), formats);
        if (a.json) await out(`${JSON.stringify(redact(report), null, 2)}\n`);
        else if (formats.includes('console')) await out(`${renderAuditConsole(report)}\n${files.length ? `reports: ${files.join(', ')}\n` : ''}`);
        code = report.counts.critical > 0 ? 1 : 0;
      },
    )
    .epilogue(`core commands: ${CORE_COMMANDS.map((c) => `fanin ${c} --help`).join(', ')}`)
    .help();
  return (await parseReportingErrors(parser)) ?? code;
}

if (process.argv[1] && /harness[\\/]cli\.(ts|js)$/.test(process.argv[1])) {
  run(hideBin(process.argv)).then((c) => process.exit(c));
}
