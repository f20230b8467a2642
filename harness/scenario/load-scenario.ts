/** Finds scenarios by name in the `scenarios/` folder (one `<name>.ts` file each). */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError } from '../../src/index.js';
import type { Scenario } from './define-scenario.js';

export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export function knownScenarios(dir = SCENARIO_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

export async function loadScenario(name: string, dir = SCENARIO_DIR): Promise<Scenario> {
  const known = knownScenarios(dir);
  if (!known.includes(name)) {
    throw new ConfigError(`unknown scenario "${name}"; known scenarios: ${known.join(', ')}`, { scenario: name, known });
  }
  const mod = (await import(pathToFileURL(join(dir, `${name}.ts`)).href)) as { default?: Scenario };
  if (!mod.default || mod.default.name !== name) {
    throw new ConfigError(`scenarios/${name}.ts must default-export defineScenario({ name: '${name}', ... })`, { scenario: name });
  }
  return mod.default;
}
