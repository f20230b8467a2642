/**
 * fanin as a user gets it: `npm pack` of this checkout (its prepack builds dist/), installed into
 * a fresh project outside the repository (mkdtemp in the OS temp dir). Commands run in that
 * project with an environment stripped of this checkout's tooling (no node_modules/.bin of the
 * repository on PATH, no NODE_OPTIONS/NODE_PATH, no npm_* variables), so nothing resolves from
 * the checkout.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const REPO = join(import.meta.dirname, '../..');

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a user's shell: this process's, without the checkout's tooling. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || ['NODE_OPTIONS', 'NODE_PATH', 'FANIN_FROM_DIST', 'FANIN_STUB_AGENTS', 'INIT_CWD'].includes(k)) continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? '').split(delimiter).filter((p) => !p.includes('node_modules')).join(delimiter);
  return { ...env, ...extra };
}

/** Runs a command to its end and collects what it printed. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `npm pack` of the checkout into `dest` (prepack runs `npm run build`); the tarball's path. */
export async function packFanin(dest: string): Promise<string> {
  const r = await run('npm', ['pack', '--pack-destination', dest, '--json'], REPO, userEnv());
  if (r.code !== 0) throw new Error(`npm pack failed (${r.code}): ${r.stderr.slice(-2000)}`);
  const [{ filename }] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { filename: string }[];
  return join(dest, filename);
}

/**
 * A fresh project (its own folder under the OS temp dir) with `packages` installed: from npm's
 * cache (`--offline`), or `--prefer-offline` when the cache lacks a package's metadata.
 */
export async function freshProject(name: string, packages: string[]): Promise<{ dir: string; install: Ran }> {
  const dir = mkdtempSync(join(tmpdir(), `fanin-${name}-`));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  const args = (mode: string) => ['install', mode, '--no-audit', '--no-fund', ...packages];
  let install = await run('npm', args('--offline'), dir);
  if (install.code !== 0) install = await run('npm', args('--prefer-offline'), dir);
  if (install.code !== 0) throw new Error(`npm install in ${dir} failed (${install.code}): ${install.stderr.slice(-2000)}`);
  return { dir, install };
}

/** Installed packages (name@version) that declare an install, preinstall or postinstall script. */
export function packagesWithInstallScripts(dir: string): string[] {
  const root = join(dir, 'node_modules');
  const pkgDirs = readdirSync(root).flatMap((n) => (n.startsWith('@') ? readdirSync(join(root, n)).map((m) => join(root, n, m)) : [join(root, n)]));
  return pkgDirs.flatMap((p) => {
    const file = join(p, 'package.json');
    if (!existsSync(file)) return [];
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; version: string; scripts?: Record<string, string> };
    const s = pkg.scripts ?? {};
    return s.install || s.preinstall || s.postinstall ? [`${pkg.name}@${pkg.version}`] : [];
  });
}
