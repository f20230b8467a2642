/**
 * `--report-dir` is checked before anything runs, so a run never ends in an error (or hangs)
 * because its reports cannot be written: a path under a pseudo file system (/proc, /sys, /dev)
 * is refused without touching it, a file (or a path under one) is refused, and the folder is
 * created and written to once (a probe file) to prove it is writable.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../src/index.js';
import { LATEST_LINK } from './write-reports.js';

const PSEUDO_FILE_SYSTEMS = ['/proc', '/sys', '/dev'];
const FIX = 'pass --report-dir a folder you can write to (for example --report-dir reports)';

function refuse(dir: string, why: string, cause?: unknown): ConfigError {
  return new ConfigError(`--report-dir ${dir}: ${why}; ${FIX}`, { reportDir: dir }, cause === undefined ? undefined : { cause });
}

/** The nearest existing path at or above `p` and what it is (null when nothing exists, never at /). */
async function nearestExisting(p: string): Promise<{ path: string; isDir: boolean }> {
  let current = p;
  for (;;) {
    const s = await stat(current).catch(() => null);
    if (s) return { path: current, isDir: s.isDirectory() };
    const parent = path.dirname(current);
    if (parent === current) return { path: current, isDir: true };
    current = parent;
  }
}

/**
 * Resolves `dir` and proves a report can be written there (creating the folder). Throws a
 * ConfigError (exit 2) naming the path and the fix otherwise. Returns the absolute path.
 */
export async function checkReportDir(dir: string): Promise<string> {
  const abs = path.resolve(dir);
  const pseudo = PSEUDO_FILE_SYSTEMS.find((root) => abs === root || abs.startsWith(`${root}/`));
  if (pseudo) throw refuse(dir, `it is under ${pseudo}, a pseudo file system where reports cannot be written`);
  const existing = await nearestExisting(abs);
  if (!existing.isDir) {
    throw refuse(dir, existing.path === abs ? 'it is a file, not a folder' : `${existing.path} is a file, not a folder`);
  }
  try {
    await mkdir(abs, { recursive: true });
    const probe = path.join(abs, `.fanin-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (cause) {
    throw refuse(dir, `it cannot be written (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`, cause);
  }
  const latest = await lstat(path.join(abs, LATEST_LINK)).catch(() => null);
  if (latest && !latest.isSymbolicLink()) {
    throw refuse(dir, `${path.join(abs, LATEST_LINK)} exists and is not a symlink (fanin points it at the newest report)`);
  }
  return abs;
}
