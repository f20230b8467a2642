/**
 * Where fanin's own files are, and how to run one of its modules as a process, whether fanin
 * runs from its source tree (tsx: this file is `harness/util/code-root.ts`) or from the built
 * package (plain node: `dist/harness/util/code-root.js`). The one resolver of the extension fanin
 * runs under: its scenarios, variants, default pipeline and entry points are `.ts` files in the
 * source tree and the compiled `.js` files under dist/.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError } from '../../src/index.js';

const HERE = import.meta.url;

/** `.ts` from the source tree, `.js` from dist/. */
export const CODE_EXT: '.ts' | '.js' = /\.(m|c)?ts$/.test(fileURLToPath(HERE)) ? '.ts' : '.js';

/** True when fanin runs from its source tree (under tsx or vitest). */
export const FROM_SOURCE = CODE_EXT === '.ts';

/** The root of fanin's code: the checkout (source) or `dist/` (built); it holds src/, harness/, scenarios/, fixtures/. */
export const CODE_ROOT = fileURLToPath(new URL('../../', HERE));

/** The package's root (package.json, node_modules): the checkout, or the folder that holds dist/. */
export const PACKAGE_ROOT = FROM_SOURCE ? CODE_ROOT : dirname(CODE_ROOT.replace(/[\\/]$/, ''));

/** The path of a fanin module named as in the source tree (`harness/runner/worker-handlers.ts`), in the extension fanin runs under. */
export function codeFile(sourcePath: string): string {
  return join(CODE_ROOT, sourcePath.replace(/\.ts$/, CODE_EXT));
}

/** A file name with fanin's code extension (`happy-path` → `happy-path.ts` or `.js`). */
export function withCodeExt(stem: string): string {
  return `${stem}${CODE_EXT}`;
}

let tsxLoader: string | undefined;

/** The file URL of tsx's loader as installed with fanin (source tree only: dist needs no tsx). */
function tsxLoaderUrl(): string {
  if (tsxLoader === undefined) {
    try {
      tsxLoader = pathToFileURL(createRequire(HERE).resolve('tsx')).href;
    } catch (cause) {
      throw new ConfigError('fanin runs from its source tree but tsx is not installed: run `npm ci` in the checkout, or use the built package (`npm run build`)', { missing: 'tsx' }, { cause });
    }
  }
  return tsxLoader;
}

/**
 * The `node` arguments that run one of fanin's entry modules (named as in the source tree):
 * `--import <tsx> file.ts` from the source tree, `file.js` from dist/. The paths are absolute,
 * so the process may run in any working directory (the user's).
 */
export function nodeArgsFor(sourcePath: string): string[] {
  const file = codeFile(sourcePath);
  if (!existsSync(file)) throw new ConfigError(`fanin's ${sourcePath} is missing (${file}): the installation is incomplete; reinstall fanin`, { file });
  return FROM_SOURCE ? ['--import', tsxLoaderUrl(), file] : [file];
}

/** The package.json of the ioredis fanin runs with (wherever the package manager put it). */
export function ioredisPackageJson(): string {
  try {
    let dir = dirname(createRequire(HERE).resolve('ioredis'));
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    return join(dir, 'package.json');
  } catch {
    return join(PACKAGE_ROOT, 'node_modules/ioredis/package.json');
  }
}
