/**
 * The only file in analysis/ that touches the filesystem: loads the reference corpus and
 * framework from JSON fixtures.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import { parseCorpus, type Document } from './corpus-schema.js';
import { parseFramework, type Framework } from './framework-schema.js';
import { compareStrings } from './round.js';

export const REFERENCE_FRAMEWORK_FILE = join('frameworks', 'chf-v1.1.json');
export const REFERENCE_CORPUS_DIR = 'corpus';

function readJson(file: string, code: 'INVALID_CORPUS' | 'INVALID_FRAMEWORK'): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(code, `cannot read ${file}`, { file }, { cause: err });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InputError(code, `${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { file }, { cause: err });
  }
}

/** Every `*.json` file in `dir` is one document; returned sorted by id. */
export function loadCorpusDir(dir: string): Document[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch (err) {
    throw new InputError('INVALID_CORPUS', `cannot read corpus directory ${dir}`, { dir }, { cause: err });
  }
  names.sort(compareStrings);
  const docs = parseCorpus(names.map((n) => readJson(join(dir, n), 'INVALID_CORPUS')));
  return docs.sort((a, b) => compareStrings(a.id, b.id));
}

export function loadFramework(file: string): Framework {
  return parseFramework(readJson(file, 'INVALID_FRAMEWORK'));
}

/**
 * The repository's `fixtures/` directory, found by walking up from this module (works from
 * src/ under tsx/vitest and from a compiled dist/ tree).
 */
export function defaultFixturesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'fixtures');
    if (existsSync(join(candidate, REFERENCE_FRAMEWORK_FILE))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new InputError('INVALID_INPUT', 'cannot locate the fixtures directory', { from: import.meta.url });
    dir = parent;
  }
}

export function loadReferenceInput(root: string = defaultFixturesDir()): { corpus: Document[]; framework: Framework } {
  const base = resolve(root);
  return {
    corpus: loadCorpusDir(join(base, REFERENCE_CORPUS_DIR)),
    framework: loadFramework(join(base, REFERENCE_FRAMEWORK_FILE)),
  };
}
