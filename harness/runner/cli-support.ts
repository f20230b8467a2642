/**
 * Which optional flags a command of the core's CLI (`fanin worker`, `fanin orchestrator`)
 * accepts, so the harness passes a flag to those processes only when they take it (the CLI is
 * strict: an unknown flag is a usage error). Asked once per command, from its `--help`.
 */
import { spawnSync } from 'node:child_process';
import { nodeArgsFor } from '../util/code-root.js';

const helpOf = new Map<string, string>();

/** True when `fanin <command> --help` lists `--<flag>` (e.g. worker, 'max-stream-length'). */
export function coreCliSupports(command: 'worker' | 'orchestrator', flag: string): boolean {
  let help = helpOf.get(command);
  if (help === undefined) {
    const r = spawnSync(process.execPath, [...nodeArgsFor('src/cli.ts'), command, '--help'], { encoding: 'utf8', timeout: 30_000 });
    help = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    helpOf.set(command, help);
  }
  return help.includes(`--${flag}`);
}
