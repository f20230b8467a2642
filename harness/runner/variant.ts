/**
 * A variant replaces part of the core with a known-bad version (fixtures/variants/<name>/),
 * to prove the harness diagnoses the bug. It supplies the worker of one or more stages.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError, type EventSink, type StageHandler } from '../../src/index.js';

export interface StageWorker {
  readonly id: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface VariantWorkerOptions {
  redisUrl: string;
  transport: 'streams' | 'lists';
  prefix: string;
  shards: number;
  stage: string;
  handler: StageHandler;
  concurrency: number;
  events?: EventSink;
}

export interface Variant {
  name: string;
  description: string;
  /** stage name → factory of the (buggy) worker that replaces the core's for that stage */
  workers: Record<string, (opts: VariantWorkerOptions) => StageWorker>;
}

export const VARIANT_DIR = fileURLToPath(new URL('../../fixtures/variants/', import.meta.url));

export function knownVariants(dir = VARIANT_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((d) => existsSync(join(dir, d, 'variant.ts'))).sort();
}

export async function loadVariant(name: string, dir = VARIANT_DIR): Promise<Variant> {
  const known = knownVariants(dir);
  if (!known.includes(name)) throw new ConfigError(`unknown variant "${name}"; known variants: ${known.join(', ') || '(none)'}`, { variant: name });
  const mod = (await import(pathToFileURL(join(dir, name, 'variant.ts')).href)) as { variant?: Variant };
  if (!mod.variant) throw new ConfigError(`fixtures/variants/${name}/variant.ts must export \`variant\``, { variant: name });
  return mod.variant;
}
