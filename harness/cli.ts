/**
 * `fanin` command line (yargs wiring only). Harness commands: `diagnose` (the main job; with
 * `--scenario all` the matrix), `compare A B`, `audit`, `selftest` and `init`; the core's `worker`,
 * `orchestrator` and `submit` are delegated to src/cli.ts.
 * Exit codes: 0 all gates passed · 1 a gate, checker or regression failed · 2 usage or
 * configuration error (including an unusable --report-dir, checked before anything runs) ·
 * 3 Redis could not be started or reached · 130 interrupted by SIGINT (Ctrl-C) · 143
 * interrupted by SIGTERM (130/143: every child process stopped, a partial report marked
 * `interrupted` written).
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CORE_COMMANDS, coreMain, describeError, exitCodeFor, parseReportingErrors, redactUrl, withTlsFlags } from '../src/index.js';
import { foldSeedFlags } from './runner/seed-flags.js';
import { consoleReporter } from './reporters/console.js';
import { parseFormats } from './reporters/index.js';
import { checkReportDir } from './reporters/report-dir.js';
import { writeReports } from './reporters/write-reports.js';
import { assertComparable, compareResults, formatComparison, loadResults } from './regression/compare.js';
import { diagnose, type DiagnoseOptions } from './runner/diagnose.js';
import { INTERRUPT_EXIT_CODE, interruptOnSignals, stopDescendants, type Interruption } from './runner/interrupt.js';
import { catalogLines, matrixMarkdown, runMatrix, writeMatrix } from './runner/matrix.js';
import { progressPrinter } from './runner/progress.js';
import { knownScenarios } from './scenario/load-scenario.js';
import { loadConfigFile, type ConfigFile } from './gates/config-file.js';
import { runSelftest } from './selftest/run-selftest.js';
import { auditCommandModule } from './audit/audit-command.js';
import { agentCommandModule } from './conform/agent-command.js';
import { conformCommandModule } from './conform/conform-command.js';
import { formatInit, initProject } from './init/init-project.js';

/** Writes to stdout and resolves once the data is handed to the OS (safe before process.exit). */
function out(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}

function diagnoseFlags(y: Argv) {
  return withTlsFlags(y)
    .option('runs', { type: 'number', describe: 'experiments to run (default: config file, scenario, else 10)' })
    .option('concurrency', { type: 'number', describe: 'experiments in flight (default: scenario, else min(runs, 16))' })
    .option('transport', { choices: ['streams', 'lists'] as const, describe: 'coordination transport (default streams)' })
    .option('workers', { type: 'number', describe: 'workers per stage (default: scenario, else 1)' })
    .option('worker-mode', { choices: ['inline', 'process'] as const, describe: 'workers in this process, or as separate OS processes (default: scenario, else inline)' })
    .option('latency-model', { type: 'string', describe: 'none | llm | a JSON file of per-stage distributions (seeded; default: scenario, else none)' })
    .option('seed', { type: 'number', describe: 'seed of the latency model and fault schedules (default 1)' })
    .option('run-timeout', { type: 'number', describe: 'ms to wait for each experiment before it counts as timed out (default: scenario, else 10000)' })
    .option('scenario', { type: 'string', describe: `scenario name or file path (a .ts/.js/.mjs file), "all" (the matrix on both transports) or "list" (${knownScenarios().join(', ')}); default happy-path` })
    .option('variant', { type: 'string', describe: 'run a known-bad variant from fixtures/variants (e.g. no-fan-in) or --variant-dir' })
    .option('variant-dir', { type: 'string', describe: 'folder of variant files (<name>.ts, .mjs or .js, one per variant) outside the project' })
    .option('pipeline', { type: 'string', describe: 'a pipeline module (.ts, .js, .mjs) default-exporting definePipeline(...) (default: the built-in constitutional-analysis pipeline; docs/pipelines.md)' })
    .option('stub-agents', { type: 'boolean', describe: 'replace every handler by a stub whose output hashes its stage, index and inputs (coordination only; schemas and reference skipped)' })
    .option('corpus', { type: 'string', describe: 'built-in pipeline: corpus folder (default fixtures/corpus)' })
    .option('framework', { type: 'string', describe: 'built-in pipeline: framework JSON (default fixtures/frameworks/chf-v1.1.json)' })
    .option('redis', { type: 'string', default: process.env.FANIN_REDIS_URL, defaultDescription: '$FANIN_REDIS_URL', describe: 'use an existing Redis (redis:// or rediss://; default env FANIN_REDIS_URL); only this run\'s key prefix is touched' })
    .option('prefix', { type: 'string', describe: 'start of this run\'s key prefix, <prefix>-<id> (default fanin-run): on a shared Redis, the ACL user may be limited to ~<prefix>-* (docs/security.md)' })
    .option('provider', { choices: ['embedded', 'container', 'url', 'cluster'] as const, describe: 'how to get a Redis (default embedded; url with --redis; cluster: a local 3-master Redis Cluster)' })
    .option('shards', { type: 'number', describe: 'number of shards (default 1)' })
    .option('report-dir', { type: 'string', default: 'reports', describe: 'where reports/<timestamp>-<id>/ and reports/latest go (checked before anything runs)' })
    .option('format', { type: 'string', default: 'json,markdown,junit,html', describe: 'report files: json, markdown, junit, html (comma list)' })
    .option('baseline', { type: 'string', describe: 'results.json of an earlier run of the same setup: add a regression verdict' })
    .option('force', { type: 'boolean', default: false, describe: 'compare with a baseline of another scenario, variant, transport or pipeline anyway' })
    .option('tolerance', { type: 'number', describe: 'allowed p95 latency growth against the baseline (default 0.2)' })
    .option('threshold', { type: 'string', array: true, default: [] as string[], describe: 'gate, e.g. completion_rate>=0.95, e2e.p95<2000 (repeatable; any metric of results.json, see docs/metrics.md)' })
    .option('config', { type: 'string', describe: 'config file (default fanin.config.ts|json if present)' })
    .option('json', { type: 'boolean', default: false, describe: 'print results.json to stdout and nothing else' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress and no table: only the verdict line' })
    .option('keep-redis', { type: 'boolean', default: false, describe: 'leave the Redis running and print its URL and pid' })
    .option('record', { type: 'boolean', default: true, hidden: true, describe: 'record the history (--no-record: overhead benchmark only)' });
}

type DiagnoseArgs = Awaited<ReturnType<typeof diagnoseFlags>['argv']>;

/** The flags as given (undefined when not given) and the config file: resolve-config.ts layers them. */
function runOptions(a: DiagnoseArgs, config: ConfigFile): DiagnoseOptions {
  return {
    runs: a.runs, concurrency: a.concurrency, transport: a.transport, workers: a.workers, workerMode: a['worker-mode'],
    latencyModel: a['latency-model'], seed: a.seed, runTimeoutMs: a['run-timeout'], scenario: a.scenario, variant: a.variant ?? null,
    variantDir: a['variant-dir'], corpus: a.corpus, framework: a.framework, pipeline: a.pipeline, stubAgents: a['stub-agents'], redis: a.redis, provider: a.provider, shards: a.shards,
    thresholds: a.threshold, file: config, baseline: a.baseline ?? null, force: a.force, tolerance: a.tolerance,
    keepRedis: a['keep-redis'], record: a.record, ...(a.prefix === undefined ? {} : { prefix: a.prefix }),
  };
}

function progressHook(quiet: boolean) {
  if (quiet) return undefined;
  let printer: ReturnType<typeof progressPrinter> | undefined;
  return (p: { done: number; failed: number; total: number }) => {
    printer ??= progressPrinter(process.stderr, p.total);
    printer(p);
  };
}

async function matrixCommand(a: DiagnoseArgs, config: ConfigFile, reportDir: string, interrupt: Interruption): Promise<number> {
  const { scenario: _all, keepRedis: _keep, ...base } = runOptions(a, config);
  const m = await runMatrix(
    { ...base, runs: a.runs ?? config.runs ?? 20 },
    {
      reportDir,
      transports: a.transport ? [a.transport] : undefined,
      signal: interrupt.signal,
      onRow: a.quiet || a.json ? undefined : (r) => void process.stderr.write(`${r.match ? 'ok  ' : 'MISS'} ${r.scenario} (${r.transport}): ${r.verdict}, expected ${r.expected}\n`),
    },
  );
  const dir = await writeMatrix(m, reportDir);
  if (a.json) await out(`${JSON.stringify(m, null, 2)}\n`);
  else await out(`${matrixMarkdown(m)}\nreports: ${dir}\n`);
  const sig = interrupt.received();
  return sig ? INTERRUPT_EXIT_CODE[sig] : m.allMatch ? 0 : 1;
}

async function diagnoseCommand(a: DiagnoseArgs, config: ConfigFile, reportDir: string, interrupt: Interruption): Promise<number> {
  const formats = parseFormats(a.format);
  const { results, history, redis } = await diagnose(runOptions(a, config), { onProgress: progressHook(a.quiet || a.json), signal: interrupt.signal });
  const written = await writeReports(results, history, { dir: reportDir, formats });
  if (a.json) await out(`${JSON.stringify(results, null, 2)}\n`);
  else if (a.quiet) await out(`${results.interrupted ? 'INTERRUPTED' : results.verdict.passed ? 'PASS' : 'FAIL'} ${results.runs.length} runs · reports: ${written.dir}\n`);
  else await out(`${consoleReporter.render(results, history)}\nreports: ${written.dir}\n`);
  if (redis) {
    const pid = redis.detach?.();
    if (!a.json) await out(`redis kept running at ${redactUrl(redis.url)}${pid ? ` (pid ${pid}; stop it with kill ${pid})` : ''}\n`);
  }
  return results.verdict.exitCode;
}

/** Runs `fn` with SIGINT/SIGTERM handled; after an interruption no child process outlives the CLI. */
async function interruptible(fn: (i: Interruption) => Promise<number>): Promise<number> {
  const interrupt = interruptOnSignals((sig) => {
    void stopDescendants(0).then(() => process.exit(INTERRUPT_EXIT_CODE[sig]));
  });
  try {
    const code = await fn(interrupt);
    const sig = interrupt.received();
    if (sig) {
      await stopDescendants();
      return INTERRUPT_EXIT_CODE[sig];
    }
    return code;
  } finally {
    interrupt.dispose();
  }
}

function diagnoseCommandModule(setCode: (c: number) => void) {
  return {
    command: ['diagnose', '$0'],
    describe: 'run the real pipeline N times against a fresh Redis, check invariants, gate, write reports',
    builder: diagnoseFlags,
    handler: async (a: DiagnoseArgs) => {
      if (a.scenario === 'list') {
        await out(`${(await catalogLines()).join('\n')}\n`);
        return;
      }
      const reportDir = await checkReportDir(a['report-dir']);
      const { config } = await loadConfigFile(a.config);
      parseFormats(a.format);
      setCode(await interruptible((i) => (a.scenario === 'all' ? matrixCommand(a, config, reportDir, i) : diagnoseCommand(a, config, reportDir, i))));
    },
  };
}

function compareCommandModule(setCode: (c: number) => void) {
  return {
    command: 'compare <baseline> <current>',
    describe: 'compare two results.json files of the same setup: completion rate, new violations, p95 latency',
    builder: (y: Argv) =>
      y
        .positional('baseline', { type: 'string', demandOption: true })
        .positional('current', { type: 'string', demandOption: true })
        .option('tolerance', { type: 'number', default: 0.2, describe: 'allowed p95 growth (0.2 = 20%)' })
        .option('force', { type: 'boolean', default: false, describe: 'compare runs of another scenario, variant, transport or pipeline anyway' }),
    handler: async (a: { baseline: string; current: string; tolerance: number; force: boolean }) => {
      const baseline = loadResults(a.baseline);
      const current = loadResults(a.current);
      assertComparable(baseline, current, { force: a.force, baselineName: a.baseline });
      const r = compareResults(baseline, current, { tolerance: a.tolerance, baselineName: a.baseline });
      await out(`${formatComparison(r)}\n`);
      setCode(r.passed ? 0 : 1);
    },
  };
}

function selftestFlags(y: Argv) {
  return y
    .option('runs', { type: 'number', default: 3, describe: 'runs per cell (variant × scenario × transport)' })
    .option('transport', { choices: ['streams', 'lists'] as const, array: true, describe: 'transports to run (repeatable; default both)' })
    .option('variant', { type: 'string', array: true, describe: 'only these variants (repeatable; default every known variant)' })
    .option('variant-dir', { type: 'string', describe: 'folder of extra variant files (<name>.ts, .mjs or .js, one per variant)' })
    .option('report-dir', { type: 'string', default: 'reports', describe: 'where the selftest reports go (checked before anything runs)' })
    .option('json', { type: 'boolean', default: false, describe: 'machine-readable output on stdout' })
    .option('quiet', { type: 'boolean', default: false, describe: 'only the verdict line' });
}

function selftestCommandModule(setCode: (c: number) => void) {
  return {
    command: 'selftest',
    describe: "the harness's diagnostic power: every variant against its scenarios, the mutation score and the clean core's false alarms",
    builder: selftestFlags,
    handler: async (a: Awaited<ReturnType<typeof selftestFlags>['argv']>) => {
      const reportDir = await checkReportDir(a['report-dir']);
      // runSelftest takes no abort signal: at Ctrl-C / SIGTERM every child process is stopped and the CLI exits 130 / 143
      setCode(await interruptible(async (interrupt) => {
        interrupt.signal.addEventListener('abort', () => {
          const sig = interrupt.received()!;
          void stopDescendants().then(() => process.exit(INTERRUPT_EXIT_CODE[sig]));
        });
        return runSelftest({
          runs: a.runs, transports: a.transport?.length ? a.transport : undefined, variants: a.variant?.length ? a.variant : undefined,
          variantDir: a['variant-dir'], reportDir, json: a.json, quiet: a.quiet,
        });
      }));
    },
  };
}

function initCommandModule() {
  return {
    command: 'init',
    describe: 'write a starter pipeline (fanin.pipeline.ts), fanin.config.json with the default gates and a CI workflow (.github/workflows/fanin.yml); never overwrites a file',
    builder: (y: Argv) => y.option('dir', { type: 'string', default: '.', describe: 'the directory to write into' }),
    handler: async (a: { dir: string }) => {
      await out(formatInit(initProject(a.dir)));
    },
  };
}

export async function run(given: string[]): Promise<number> {
  let argv: string[];
  try {
    // repeated --redis: the seed nodes of one cluster (seed-flags.ts)
    argv = await foldSeedFlags(given);
  } catch (err) {
    process.stderr.write(`fanin: ${describeError(err)}\n`);
    return exitCodeFor(err);
  }
  if (argv[0] && CORE_COMMANDS.includes(argv[0])) return coreMain(argv);
  let code = 0;
  const setCode = (c: number) => void (code = c);
  const parser = yargs(argv)
    .scriptName('fanin')
    .strict()
    .command(diagnoseCommandModule(setCode))
    .command(compareCommandModule(setCode))
    .command(auditCommandModule(setCode))
    .command(selftestCommandModule(setCode))
    .command(agentCommandModule(setCode))
    .command(conformCommandModule(setCode))
    .command(initCommandModule())
    .epilogue(`core commands: ${CORE_COMMANDS.map((c) => `fanin ${c} --help`).join(', ')}`)
    .help();
  return (await parseReportingErrors(parser)) ?? code;
}

if (process.argv[1] && /harness[\\/]cli\.(ts|js)$/.test(process.argv[1])) {
  run(hideBin(process.argv)).then((c) => process.exit(c));
}
