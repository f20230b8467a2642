/**
 * A variant is the core with one step replaced by a known-bad version of it (docs/variants.md):
 * a file in fixtures/variants/ (or in a --variant-dir, or given by path) whose `variant` export
 * (or default export) says what bug it holds, on which transports, which scenarios must catch
 * it, and which worker or orchestrator steps it replaces. Everything else — loops, events,
 * timings the scenario sets, the other stages — is the core's.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { codeFile } from '../util/code-root.js';
import { z } from 'zod';
import { ConfigError, loadModule, type OrchestratorStepOverrides, type StepOverrides } from '../../src/index.js';

export type BugClass = 'lost' | 'duplicated' | 'early' | 'late' | 'fake';

export interface Variant {
  name: string;
  /** what the bug is, as a team would ship it */
  description: string;
  bug: BugClass;
  /** transports on which the bug exists */
  transports: readonly ('streams' | 'lists')[];
  /** scenarios (catalog names or paths) that must catch it; selftest runs each on each transport */
  scenarios: readonly string[];
  /** stages whose workers take `worker` (roles like widestFanOut, or names); default every stage */
  stages?: readonly string[];
  /** the worker steps it replaces */
  worker?: StepOverrides;
  /** the orchestrator steps it replaces (the submitting and waiting side) */
  orchestrator?: OrchestratorStepOverrides;
}

const variantSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'kebab-case, at most 64 characters'),
  description: z.string().min(1),
  bug: z.enum(['lost', 'duplicated', 'early', 'late', 'fake']),
  transports: z.array(z.enum(['streams', 'lists'])).min(1),
  scenarios: z.array(z.string().min(1)).min(1),
  stages: z.array(z.string().min(1)).min(1).optional(),
  worker: z.function().optional(),
  orchestrator: z.function().optional(),
}).strict().refine((v) => v.worker || v.orchestrator, 'a variant replaces at least one worker or orchestrator step');

export const VARIANT_DIR = codeFile('fixtures/variants/');

const VARIANT_FILE = /^([a-z0-9][a-z0-9-]*)\.(ts|mts|js|mjs)$/;

/** Variant names in a directory: one file per variant. */
export function knownVariants(dir = VARIANT_DIR): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir).map((f) => VARIANT_FILE.exec(f)?.[1]).filter((n): n is string => n !== undefined).sort();
}

function variantFile(ref: string, dir: string): string {
  if (/[/\\]/.test(ref) || /\.(m?[jt]s)$/.test(ref)) return ref;
  const file = readdirSync(dir).find((f) => VARIANT_FILE.exec(f)?.[1] === ref);
  if (!file) {
    throw new ConfigError(`unknown variant "${ref}" in ${dir}; known variants: ${knownVariants(dir).join(', ') || '(none)'}; or give a variant file's path`, { variant: ref });
  }
  return join(dir, file);
}

/** Loads a variant by name (from `dir`) or by path, and checks its declaration. */
export async function loadVariant(ref: string, dir = VARIANT_DIR): Promise<Variant> {
  if (!/[/\\]/.test(ref) && (!existsSync(dir) || !statSync(dir).isDirectory())) {
    throw new ConfigError(`variant directory ${dir} does not exist; pass --variant-dir with a directory of variant files`, { dir });
  }
  const file = variantFile(ref, dir);
  const mod = await loadModule(file, 'variant');
  const declared = mod.variant ?? mod.default;
  const parsed = variantSchema.safeParse(declared);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(variant)'}: ${i.message}`).join('; ');
    throw new ConfigError(`variant file ${file} must export \`variant\` as documented in docs/variants.md: ${issues}`, { variant: ref });
  }
  const v = declared as Variant;
  const stem = basename(file).replace(/\.(m?[jt]s)$/, '');
  if (v.name !== stem) throw new ConfigError(`variant file ${file} declares name "${v.name}"; name it after its file ("${stem}")`, { variant: ref });
  return v;
}

/** Refuses a transport the variant's bug does not exist on (a configuration error, never a verdict). */
export function assertTransport(v: Variant, transport: 'streams' | 'lists'): void {
  if (!v.transports.includes(transport)) {
    throw new ConfigError(`variant ${v.name} holds a bug of the ${v.transports.join(' and ')} transport; run it with --transport ${v.transports[0]}, not ${transport}`, { variant: v.name, transport });
  }
}
