/**
 * Loads the Lua scripts (one verb per file in this folder) and registers them on an ioredis
 * client through `defineCommand`, so they run with EVALSHA and fall back to EVAL on NOSCRIPT.
 * A line `--@include name` is replaced by `includes/<name>.lua` (each include at most once).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { typedOom } from '../redis/oom.js';

const LUA_DIR = dirname(fileURLToPath(import.meta.url));

export const SCRIPT_NAMES = [
  'submit',
  'complete-task',
  'fail-task',
  'promote-delayed',
  'reap-worker',
  'dead-letter',
  'expire-experiment',
  'load-task',
  'requeue-orphan',
  'ack-delivery',
  'renew-leases',
  'requeue-deleted',
  'prune-consumers',
  'claim-ended',
  'retire-experiment',
  'read-ended',
] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

const sources = new Map<ScriptName, string>();

/** The full source of a script, includes expanded. */
export function scriptSource(name: ScriptName): string {
  let src = sources.get(name);
  if (src === undefined) {
    const seen = new Set<string>();
    src = readFileSync(join(LUA_DIR, `${name}.lua`), 'utf8').replace(/^--@include (\S+)\s*$/gm, (_m, inc: string) => {
      if (seen.has(inc)) return '';
      seen.add(inc);
      return readFileSync(join(LUA_DIR, 'includes', `${inc}.lua`), 'utf8');
    });
    sources.set(name, src);
  }
  return src;
}

const COMMAND_NAMES = new Map<string, string>();

function commandName(name: ScriptName): string {
  let n = COMMAND_NAMES.get(name);
  if (n === undefined) COMMAND_NAMES.set(name, (n = `fanin_${name.replace(/-/g, '_')}`));
  return n;
}

const DEFINED = Symbol('fanin.scriptsDefined');

/** Registers every script on the client (idempotent). */
export function defineScripts(redis: Redis): void {
  const r = redis as Redis & { [DEFINED]?: boolean };
  if (r[DEFINED]) return;
  for (const name of SCRIPT_NAMES) {
    redis.defineCommand(commandName(name), { lua: scriptSource(name) });
  }
  r[DEFINED] = true;
}

type Arg = string | number;

/**
 * Runs a script with the given KEYS and ARGV. Keys are always built by keys.ts; callers pass
 * them in the order each script's header documents.
 */
export function runScript<T = unknown>(redis: Redis, name: ScriptName, keys: readonly string[], args: readonly Arg[]): Promise<T> {
  defineScripts(redis);
  const fn = (redis as unknown as Record<string, (...a: Arg[]) => Promise<T>>)[commandName(name)];
  // an OOM refusal (nothing written) becomes the typed REDIS_OOM error
  return fn.call(redis, keys.length, ...keys, ...args).catch((err: unknown) => {
    throw typedOom(err, `the ${name} script`);
  });
}
