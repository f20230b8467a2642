/**
 * Which optional flags the core's CLI (`src/cli.ts`) declares, so the harness passes a flag to
 * `fanin worker` / `fanin orchestrator` processes only when they accept it (the CLI is strict:
 * an unknown flag is a usage error). Read once from the CLI's source.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './spawn-component.js';

let source: string | undefined;

/** True when the core's CLI declares the option `name` (e.g. 'max-stream-length'). */
export function coreCliSupports(name: string): boolean {
  try {
    source ??= readFileSync(join(ROOT, 'src/cli.ts'), 'utf8');
  } catch {
    return false;
  }
  return source.includes(`'${name}'`);
}
