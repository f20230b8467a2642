/**
 * One module loader for everything a user hands fanin as a file: handlers, worker steps,
 * pipelines, scenarios, variants. `.js`, `.mjs` and `.cjs` load natively; `.ts`, `.mts` and
 * `.cts` natively when the process runs under tsx (fanin's CLI from its source tree does), else
 * through tsx's API: tsx is an optional peer dependency, needed only for `.ts` modules; without it
 * a `.ts` module is a MissingDependencyError naming the install command (exit 2).
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, MissingDependencyError } from '../errors.js';

const LOADABLE = /\.(m|c)?(j|t)s$/;
const TYPESCRIPT = /\.(m|c)?ts$/;

export async function loadModule(path: string, what = 'module'): Promise<Record<string, unknown>> {
  const file = resolve(path);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new ConfigError(`${what} "${path}" does not exist (resolved to ${file}); give the path of a .js, .mjs or .ts file`, { module: path });
  }
  if (!LOADABLE.test(file)) throw new ConfigError(`${what} "${path}" is not a .js, .mjs, .cjs or .ts file`, { module: path });
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (cause) {
    if (TYPESCRIPT.test(file) && (cause as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      const tsImport = await loadTsImport(`loading the TypeScript ${what} "${path}"`);
      try {
        return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
      } catch (err) {
        throw new ConfigError(`cannot load ${what} "${path}": ${(err as Error).message}`, { module: path }, { cause: err });
      }
    }
    throw new ConfigError(`cannot load ${what} "${path}": ${(cause as Error).message}`, { module: path }, { cause });
  }
}

type TsImport = (specifier: string, parent: string) => Promise<unknown>;

/** tsx's `tsImport`, or MissingDependencyError when tsx is not installed. */
async function loadTsImport(neededFor: string): Promise<TsImport> {
  try {
    return ((await import('tsx/esm/api')) as { tsImport: TsImport }).tsImport;
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new MissingDependencyError('tsx', neededFor, { cause });
    throw cause;
  }
}
