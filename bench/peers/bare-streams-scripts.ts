/**
 * The bare streams peer's two Lua verbs (bare-advance.lua, bare-arrive.lua): loaded once with
 * SCRIPT LOAD, then run by EVALSHA (auto-pipelined with the stage loops' reads).
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

export const BARE_SCRIPTS = ['bare-advance', 'bare-arrive'] as const;
export type BareScript = (typeof BARE_SCRIPTS)[number];

const KEY_COUNT: Record<BareScript, number> = { 'bare-advance': 2, 'bare-arrive': 3 };

export function bareScriptSource(name: BareScript): string {
  return readFileSync(new URL(`./${name}.lua`, import.meta.url), 'utf8');
}

export type BareShas = Record<BareScript, string>;

/** Caches both scripts on the server; returns their SHA-1s. */
export async function loadBareScripts(redis: Redis): Promise<BareShas> {
  const entries = await Promise.all(BARE_SCRIPTS.map(async (n) => [n, (await redis.script('LOAD', bareScriptSource(n))) as string] as const));
  return Object.fromEntries(entries) as BareShas;
}

/** Runs one script call; keys and args as each script's header documents. */
export function bareCall(target: Redis, shas: BareShas, name: BareScript, keys: string[], args: (string | number)[]): Promise<unknown> {
  if (keys.length !== KEY_COUNT[name]) throw new Error(`${name} takes ${KEY_COUNT[name]} keys, got ${keys.length}`);
  return target.evalsha(shas[name], keys.length, ...keys, ...args);
}
