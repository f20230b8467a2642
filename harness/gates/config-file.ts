/**
 * Optional project configuration: `fanin.config.json` or `fanin.config.ts` (default export) in
 * the working directory, or the file given with --config. Validated with zod. Its values sit
 * between the flags and the scenario (see harness/runner/resolve-config.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, FaninError, loadModule } from '../../src/index.js';

export const configFileSchema = z
  .object({
    thresholds: z.array(z.string()).default([]),
    runs: z.number().int().min(1).optional(),
    concurrency: z.number().int().min(1).optional(),
    transport: z.enum(['streams', 'lists']).optional(),
    /** a catalog name or a scenario file path */
    scenario: z.string().optional(),
    /** a pipeline module (as --pipeline; relative to the working directory) */
    pipeline: z.string().optional(),
    /** as --stub-agents */
    stubAgents: z.boolean().optional(),
    tolerance: z.number().min(0).optional(),
    runTimeoutMs: z.number().int().min(1).optional(),
    workers: z.number().int().min(1).max(64).optional(),
    workerMode: z.enum(['inline', 'process']).optional(),
    latencyModel: z.string().optional(),
    seed: z.number().int().optional(),
    shards: z.number().int().min(1).max(1024).optional(),
  })
  .strict();
export type ConfigFile = z.output<typeof configFileSchema>;

export async function loadConfigFile(explicit?: string, cwd = process.cwd()): Promise<{ file: string | null; config: ConfigFile }> {
  const candidates = explicit ? [resolve(cwd, explicit)] : [resolve(cwd, 'fanin.config.ts'), resolve(cwd, 'fanin.config.json')];
  const file = candidates.find((f) => existsSync(f));
  if (!file) {
    if (explicit) throw new ConfigError(`config file ${explicit} does not exist`, { file: explicit });
    return { file: null, config: configFileSchema.parse({}) };
  }
  let raw: unknown;
  try {
    // a .ts config loads through the one module loader (tsx only when fanin runs without it)
    raw = file.endsWith('.ts') ? (await loadModule(file, 'config file')).default : JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    if (cause instanceof FaninError && cause.code === 'MISSING_DEPENDENCY') throw cause;
    throw new ConfigError(`cannot read config file ${file}: ${(cause as Error).message}`, { file }, { cause });
  }
  const r = configFileSchema.safeParse(raw);
  if (!r.success) {
    throw new ConfigError(`invalid config file ${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, { file });
  }
  return { file, config: r.data };
}
