/**
 * `fanin init`: writes a starter pipeline module (fanin.pipeline.ts), a fanin.config.json with
 * the default gates and a GitHub Actions workflow (.github/workflows/fanin.yml) into a
 * directory. An existing file is never overwritten: it is kept, and reported as kept.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FaninError } from '../../src/index.js';
import { CONFIG_FILE, configTemplate } from './config-template.js';
import { PIPELINE_FILE, PIPELINE_TEMPLATE } from './pipeline-template.js';
import { WORKFLOW_FILE, WORKFLOW_TEMPLATE } from './workflow-template.js';

export interface InitResult {
  /** the directory written into (absolute) */
  dir: string;
  /** files written, relative to dir */
  written: string[];
  /** files that existed and were left as they were, relative to dir */
  kept: string[];
}

/** The files `fanin init` writes, relative path → content. */
export function initFiles(): [string, string][] {
  return [[PIPELINE_FILE, PIPELINE_TEMPLATE], [CONFIG_FILE, configTemplate()], [WORKFLOW_FILE, WORKFLOW_TEMPLATE]];
}

/** Writes `content` to `file` unless it exists (O_EXCL: never overwrites); true when written. */
function writeNew(file: string, content: string): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new FaninError('INVALID_CONFIG', `fanin init cannot write ${file}: ${(err as Error).message}; fix: run it in a directory you can write to`, { file }, { cause: err });
  }
}

export function initProject(dir = process.cwd()): InitResult {
  const root = resolve(dir);
  const result: InitResult = { dir: root, written: [], kept: [] };
  for (const [rel, content] of initFiles()) {
    (writeNew(join(root, rel), content) ? result.written : result.kept).push(rel);
  }
  return result;
}

/** What `fanin init` prints. */
export function formatInit(r: InitResult): string {
  const lines = [
    ...r.written.map((f) => `wrote ${f}`),
    ...r.kept.map((f) => `kept ${f} (it exists; not overwritten)`),
    '',
    'next:',
    '  npm install --save-dev fanin tsx     # tsx loads the .ts pipeline module',
    '  npx fanin diagnose --pipeline fanin.pipeline.ts',
  ];
  return `${lines.join('\n')}\n`;
}
