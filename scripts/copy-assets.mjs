#!/usr/bin/env node
/**
 * The build's copy step (after `tsc -p tsconfig.build.json`): the files dist/ needs at run time
 * that tsc does not emit — the Lua scripts (src/lua/*.lua, src/lua/includes/*.lua) next to the
 * compiled scripts.js, and the built-in pipeline's data (fixtures/corpus, fixtures/frameworks).
 * Usage: node scripts/copy-assets.mjs (from anywhere; paths are relative to the package root).
 */
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');

/** [source folder, destination folder, which files] */
const ASSETS = [
  ['src/lua', 'dist/src/lua', (f) => f.endsWith('.lua')],
  ['src/lua/includes', 'dist/src/lua/includes', (f) => f.endsWith('.lua')],
  ['fixtures/corpus', 'dist/fixtures/corpus', (f) => f.endsWith('.json')],
  ['fixtures/frameworks', 'dist/fixtures/frameworks', (f) => f.endsWith('.json')],
];

if (!existsSync(join(DIST, 'harness', 'cli.js'))) {
  console.error('copy-assets: dist/harness/cli.js is missing; run `tsc -p tsconfig.build.json` first (npm run build does both)');
  process.exit(2);
}
let copied = 0;
for (const [from, to, wanted] of ASSETS) {
  const src = join(ROOT, from);
  const dst = join(ROOT, to);
  mkdirSync(dst, { recursive: true });
  for (const f of readdirSync(src, { withFileTypes: true })) {
    if (!f.isFile() || !wanted(f.name)) continue;
    cpSync(join(src, f.name), join(dst, f.name));
    copied++;
  }
}
console.log(`copy-assets: ${copied} files copied into dist/`);
