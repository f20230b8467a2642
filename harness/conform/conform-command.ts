/**
 * `fanin conform --sut fanin.sut.json [--level N] [--runs R] [--all] [--scenario NAME] [--quick]`:
 * runs the conformance levels against a system under test and reports the level it reaches.
 * Exit 0: the requested level (default L4) reached · 1: not reached · 2: a bad adapter file or
 * flag · 3: Redis could not be started · 130/143: interrupted (every process stopped).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Argv } from 'yargs';
import { ConfigError, withTlsFlags } from '../../src/index.js';
import { redact } from '../reporters/redact.js';
import { checkReportDir } from '../reporters/report-dir.js';
import { folderTimestamp } from '../reporters/write-reports.js';
import { INTERRUPT_EXIT_CODE, interruptOnSignals, stopDescendants } from '../runner/interrupt.js';
import { CONFORM_FORMATS, conformConsole, writeConformReports, type ConformFormat } from './conform-report.js';
import { runConform, type ConformResults } from './run-conform.js';
import { MAX_LEVEL, SCENARIO_NAMES } from './scenarios.js';
import { loadSutFile } from './sut-file.js';

function conformFlags(y: Argv) {
  // --tls-*: exported as FANIN_TLS_* to the system's processes (sut-processes.ts conformEnv)
  return withTlsFlags(y)
    .option('sut', { type: 'string', demandOption: true, describe: 'the adapter file (fanin.sut.json) of the system under test' })
    .option('level', { type: 'number', default: MAX_LEVEL, describe: `the level to reach, 0..${MAX_LEVEL} (exit 0 when reached)` })
    .option('runs', { type: 'number', default: 3, describe: 'experiments per scenario' })
    .option('all', { type: 'boolean', default: false, describe: 'run every level even after one fails' })
    .option('scenario', { type: 'string', array: true, describe: `only these scenarios (repeatable or comma list): ${SCENARIO_NAMES.join(', ')}` })
    .option('quick', { type: 'boolean', default: false, describe: 'one scenario per level (CI)' })
    .option('report-dir', { type: 'string', default: 'reports', describe: 'reports go to <dir>/conform-<timestamp>-<sut>/' })
    .option('format', { type: 'string', default: CONFORM_FORMATS.join(','), describe: `report files: ${CONFORM_FORMATS.join(', ')} (comma list)` })
    .option('json', { type: 'boolean', default: false, describe: 'print results.json to stdout and nothing else' })
    .option('quiet', { type: 'boolean', default: false, describe: 'only the verdict line' });
}

type ConformArgs = Awaited<ReturnType<typeof conformFlags>['argv']>;

export interface ParsedConformFlags {
  level: number;
  runs: number;
  only: string[] | null;
  formats: ConformFormat[];
}

/** Checks the flags; ConfigError (exit 2) naming the flag and the fix. */
export function parseConformFlags(a: { level: number; runs: number; scenario?: string[]; format: string }): ParsedConformFlags {
  if (!Number.isInteger(a.level) || a.level < 0 || a.level > MAX_LEVEL) {
    throw new ConfigError(`--level ${a.level}: a level is an integer 0..${MAX_LEVEL}`, { level: a.level });
  }
  if (!Number.isInteger(a.runs) || a.runs < 1 || a.runs > 50) throw new ConfigError(`--runs ${a.runs}: give an integer 1..50 (experiments per scenario)`, { runs: a.runs });
  const only = a.scenario?.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean) ?? [];
  const unknown = only.filter((s) => !SCENARIO_NAMES.includes(s));
  if (unknown.length) throw new ConfigError(`--scenario ${unknown.join(', ')}: unknown; the scenarios are ${SCENARIO_NAMES.join(', ')}`, { unknown });
  const formats = a.format.split(',').map((f) => f.trim()).filter(Boolean);
  const badFormat = formats.find((f) => !(CONFORM_FORMATS as readonly string[]).includes(f));
  if (badFormat !== undefined) throw new ConfigError(`--format ${badFormat}: unknown; use a comma list of ${CONFORM_FORMATS.join(', ')}`, { format: badFormat });
  return { level: a.level, runs: a.runs, only: only.length ? only : null, formats: formats as ConformFormat[] };
}

function out(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}

async function conformHandler(a: ConformArgs): Promise<number> {
  const flags = parseConformFlags(a);
  const sut = loadSutFile(a.sut);
  const root = await checkReportDir(a['report-dir']);
  const dir = path.join(root, `conform-${folderTimestamp(new Date().toISOString())}-${sut.name}`);
  await mkdir(dir, { recursive: true });
  const interrupt = interruptOnSignals((sig) => void stopDescendants(0).then(() => process.exit(INTERRUPT_EXIT_CODE[sig])));
  let results: ConformResults;
  try {
    results = await runConform({
      sut, runs: flags.runs, level: flags.level, all: a.all, only: flags.only, quick: a.quick, logDir: path.join(dir, 'logs'), signal: interrupt.signal,
      onScenario: a.json || a.quiet ? undefined : (s) => void process.stderr.write(`${s.passed ? 'ok  ' : 'FAIL'} L${s.level} ${s.name} (${(s.durationMs / 1000).toFixed(1)} s)\n`),
    });
  } finally {
    interrupt.dispose();
  }
  const files = await writeConformReports(results, dir, flags.formats);
  if (a.json) await out(`${JSON.stringify(redact(results), null, 2)}\n`);
  else if (a.quiet) await out(`${results.level === null ? 'L0 not reached' : `reached L${results.level}`} · reports: ${dir}\n`);
  else await out(`${conformConsole(redact(results))}\nreports: ${dir}${files.length ? '' : ' (logs only)'}\n`);
  const sig = interrupt.received();
  if (sig) {
    await stopDescendants();
    return INTERRUPT_EXIT_CODE[sig];
  }
  return results.level !== null && results.level >= flags.level ? 0 : 1;
}

export function conformCommandModule(setCode: (c: number) => void) {
  return {
    command: 'conform',
    describe: 'conformance levels L0-L4 of a system under test (fanin.sut.json; docs/conformance.md): the level reached, with evidence',
    builder: conformFlags,
    handler: async (a: ConformArgs) => setCode(await conformHandler(a)),
  };
}
