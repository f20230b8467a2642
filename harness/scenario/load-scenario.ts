/**
 * Finds scenarios by name in the `scenarios/` folder (one `<name>.ts` file each; the compiled
 * `<name>.js` when fanin runs from dist/, see code-root.ts), or loads one
 * from a file path (`--scenario ./my-scenario.ts`, outside the project too) through the core's
 * one module loader. A scenario from a file is validated again (it may have been built with
 * another copy of defineScenario).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadModule } from '../../src/index.js';
import { codeFile, CODE_EXT, withCodeExt } from '../util/code-root.js';
import { defineScenario, type Scenario, type ScenarioInput } from './define-scenario.js';

export const SCENARIO_DIR = codeFile('scenarios/');

export function knownScenarios(dir = SCENARIO_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(CODE_EXT) && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -CODE_EXT.length))
    .sort();
}

/** A path rather than a catalog name: it names a folder or a module file. */
export function isScenarioPath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || /\.(m|c)?(j|t)s$/.test(ref);
}

async function loadScenarioFile(path: string): Promise<Scenario> {
  const mod = await loadModule(path, 'scenario');
  const s = (mod.default ?? mod.scenario) as ScenarioInput | undefined;
  if (!s || typeof s !== 'object') {
    throw new ConfigError(`scenario file ${path} must default-export defineScenario({ name, ... }) (or export it as \`scenario\`)`, { scenario: path });
  }
  return defineScenario(s);
}

export async function loadScenario(name: string, dir = SCENARIO_DIR): Promise<Scenario> {
  if (isScenarioPath(name)) return loadScenarioFile(name);
  const known = knownScenarios(dir);
  if (!known.includes(name)) {
    throw new ConfigError(`unknown scenario "${name}"; known scenarios: ${known.join(', ')}, or the path of a scenario file`, { scenario: name, known });
  }
  const mod = await loadModule(join(dir, withCodeExt(name)), 'scenario');
  const s = mod.default as Scenario | undefined;
  if (!s || s.name !== name) {
    throw new ConfigError(`scenarios/${withCodeExt(name)} must default-export defineScenario({ name: '${name}', ... })`, { scenario: name });
  }
  return s;
}
