/**
 * The reference pages cannot fall behind the code: every flag each command's `--help` prints is
 * in its section of docs/cli.md, and every scenario file is in docs/scenarios.md's catalog with
 * its own description and expected verdict. (Metrics and checkers of a real run:
 * results-json-schema.test.ts; gate metric names: gates/every-metric.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownScenarios, loadScenario } from '../../harness/scenario/load-scenario.js';
import { fanin, ROOT } from './cli-helpers.js';

const CLI_DOC = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
const SCENARIOS_DOC = readFileSync(join(ROOT, 'docs/scenarios.md'), 'utf8');

/** The text under a heading, up to the next heading of the same or a higher level. */
function section(doc: string, heading: string): string {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l === heading);
  if (start < 0) throw new Error(`docs/cli.md has no heading "${heading}"`);
  const level = heading.indexOf(' ');
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.indexOf(' ') <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** The long flags yargs lists under "Options:" (without --help and --version). */
function flagsOf(help: string): string[] {
  return [...help.matchAll(/^ {2}--([a-z][a-z0-9-]*)/gm)].map((m) => m[1]).filter((f) => f !== 'help' && f !== 'version');
}

const documented = (text: string, flag: string) => new RegExp(`\`--${flag}[\\s\`]`).test(text);

const HARNESS = [
  ['diagnose', '## `fanin diagnose`'],
  ['selftest', '## `fanin selftest`'],
  ['compare', '## `fanin compare A B`'],
  ['audit', '## `fanin audit`'],
  ['init', '## `fanin init`'],
  ['conform', '## `fanin conform`'],
  ['agent', '## `fanin agent`'],
] as const;
const CORE = ['worker', 'orchestrator', 'submit'] as const;
/** `--help` only loads the CLI, but on a machine busy with other suites that can take long. */
const HELP_TIMEOUT_MS = 120_000;

describe('docs/cli.md lists every flag of every command', () => {
  it.each(HARNESS)('fanin %s', async (command, heading) => {
    const help = await fanin([command, '--help']);
    expect(help.code).toBe(0);
    const flags = flagsOf(help.stdout);
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.filter((f) => !documented(section(CLI_DOC, heading), f))).toEqual([]);
  }, HELP_TIMEOUT_MS);

  it.each(CORE)('fanin %s', async (command) => {
    const help = await fanin([command, '--help']);
    expect(help.code).toBe(0);
    const core = section(CLI_DOC, '## Core commands');
    const common = core.slice(0, core.indexOf('\n### '));
    const own = section(CLI_DOC, `### \`fanin ${command}\``);
    expect(flagsOf(help.stdout).filter((f) => !documented(common, f) && !documented(own, f))).toEqual([]);
  }, HELP_TIMEOUT_MS);
});

describe('docs/scenarios.md is the catalog', () => {
  it.each(knownScenarios())('%s: a row with its description and expected verdict', async (name) => {
    const s = await loadScenario(name);
    expect(SCENARIOS_DOC).toContain(`| \`${name}\` | ${s.description} | ${s.expect.verdict} |`);
  });

  it('lists no scenario that does not exist', () => {
    const rows = [...SCENARIOS_DOC.matchAll(/^\| `([a-z0-9-]+)` \| .* \| (?:pass|fail) \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual([...knownScenarios()].sort());
  });
});
