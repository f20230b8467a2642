/**
 * Watches which commands name some keys, through MONITOR on a Redis the harness started: every
 * command a client sends and every command a script runs (source `lua`) is reported, so a read
 * of a planted key by any component — directly or inside a Lua script — is seen. Script calls
 * themselves (EVAL, EVALSHA, FCALL) are skipped: the commands they run are reported on their own.
 * MONITOR shows a command's arguments, so a key is seen when it is an argument of its own.
 */
import type { Redis } from 'ioredis';
import { sleep } from './process-faults.js';

const SCRIPT_CALLS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

export interface KeyTouch {
  key: string;
  /** client address, or `lua` */
  source: string;
  command: string;
}

export interface KeyWatch {
  /** stops watching; the commands that named a watched key */
  stop(): Promise<KeyTouch[]>;
}

/** `admin`'s own commands (the fault planting keys and injecting messages that name them) are not reported. */
export async function watchKeys(admin: Redis, keys: readonly string[]): Promise<KeyWatch> {
  const watched = new Set(keys);
  const touches: KeyTouch[] = [];
  const self = /\baddr=(\S+)/.exec(String(await admin.call('CLIENT', 'INFO')))?.[1];
  const monitor = await admin.monitor();
  monitor.on('error', () => undefined);
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === self || SCRIPT_CALLS.has(String(args[0]).toLowerCase())) return;
    for (const a of args.slice(1)) {
      if (watched.has(a)) touches.push({ key: a, source, command: args.slice(0, 3).join(' ') });
    }
  });
  return {
    async stop() {
      await sleep(50); // the last commands' monitor lines
      monitor.disconnect();
      return touches;
    },
  };
}

/** A key's type, content and TTL, to tell whether anything changed it. */
export async function fingerprint(admin: Redis, key: string): Promise<string> {
  const type = await admin.type(key);
  const ttl = await admin.pttl(key);
  const content = type === 'string' ? await admin.get(key) : type === 'hash' ? JSON.stringify(Object.entries(await admin.hgetall(key)).sort()) : '';
  return `${type} ttl=${ttl} ${content}`;
}
