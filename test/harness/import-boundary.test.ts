/**
 * The harness, the benchmarks, the fixtures (variants) and the scenarios reach the core only
 * through its public entry point, src/index.ts: no deep import into src/ internals.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|mts|js|mjs)$/.test(name) ? [p] : [];
  });
}

/** Every `from '…/src/…'` (and dynamic import) that is not src/index.js. */
export function deepImports(text: string): string[] {
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"]((?:\.\.?\/)+src\/[^'"]+)['"]/g)]
    .map((m) => m[1])
    .filter((spec) => !/\/src\/index\.(js|ts)$/.test(spec));
}

describe('import boundary', () => {
  it('finds a deep import (the rule can fail)', () => {
    expect(deepImports(`import { Runtime } from '../../src/runtime.js';\nimport { Worker } from '../src/index.js';`)).toEqual(['../../src/runtime.js']);
    expect(deepImports(`const m = await import('../src/worker/worker.js');`)).toEqual(['../src/worker/worker.js']);
  });

  it('harness/, bench/, fixtures/ and scenarios/ import the core only through src/index.ts', () => {
    const offenders = ['harness', 'bench', 'fixtures', 'scenarios']
      .flatMap((d) => sources(join(ROOT, d)))
      .flatMap((f) => deepImports(readFileSync(f, 'utf8')).map((spec) => `${relative(ROOT, f)}: ${spec}`));
    expect(offenders).toEqual([]);
  });
});
