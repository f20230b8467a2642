/** Runs `fanin ...` (bin/fanin.js) as a real process, for the CLI tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI; `done` resolves at its exit with everything it printed. */
export function startFanin(args: string[], env: Record<string, string> = {}, cwd = ROOT): { child: ChildProcess; done: Promise<CliResult>; output: () => string } {
  const child = spawn(process.execPath, [join(ROOT, 'bin/fanin.js'), ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, output: () => stdout + stderr };
}

export function fanin(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<CliResult> {
  return startFanin(args, env, cwd).done;
}
