/**
 * Watches which commands name some keys, through MONITOR on a Redis the harness started: every
 * command a client sends and every command a script runs (source `lua`) is reported, so a read
 * of a planted key by any component — directly or inside a Lua script — is seen. Script calls
 * themselves (EVAL, EVALSHA, FCALL) are skipped: the commands they run are reported on their own.
 * MONITOR shows a command's arguments quoted and escaped, so a key is seen when it is an
 * argument of its own (not inside another argument, such as a message that names it).
 *
 * MONITOR is read from a plain socket: ioredis's monitor mode loses a race with the first
 * lines of a busy server ("Command queue state error").
 */
import { connect, type Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { sleep } from './process-faults.js';

const SCRIPT_CALLS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);
const LINE_RE = /^\+\S+ \[\d+ ([^\]]+)\] "([^"]*)"(.*)$/;

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

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A MONITOR connection to `admin`'s server, resolved once Redis has acknowledged MONITOR. */
async function monitorSocket(admin: Redis, onLine: (line: string) => void): Promise<Socket> {
  const { host = '127.0.0.1', port = 6379, username, password } = admin.options;
  const socket = connect({ host, port });
  let buffer = '';
  let ready: (() => void) | undefined;
  const acknowledged = new Promise<void>((resolve, reject) => {
    ready = resolve;
    socket.once('error', reject);
  });
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\r\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '+OK') ready?.();
      else onLine(line);
    }
  });
  const auth = password ? `AUTH ${username ? `${username} ` : ''}${password}\r\n` : '';
  socket.write(`${auth}MONITOR\r\n`);
  await acknowledged;
  socket.on('error', () => undefined);
  return socket;
}

/** `admin`'s own commands (the fault planting keys and injecting messages that name them) are not reported. */
export async function watchKeys(admin: Redis, keys: readonly string[]): Promise<KeyWatch> {
  const touches: KeyTouch[] = [];
  const self = /\baddr=(\S+)/.exec(String(await admin.call('CLIENT', 'INFO')))?.[1];
  const patterns = keys.map((key) => ({ key, re: new RegExp(`(^| )"${escapeRe(key)}"( |$)`) }));
  const socket = await monitorSocket(admin, (line) => {
    const m = LINE_RE.exec(line);
    if (!m || m[1] === self || SCRIPT_CALLS.has(m[2].toLowerCase())) return;
    for (const { key, re } of patterns) {
      if (re.test(m[3])) touches.push({ key, source: m[1], command: `${m[2]}${m[3]}`.slice(0, 200) });
    }
  });
  return {
    async stop() {
      await sleep(50); // the last commands' monitor lines
      socket.destroy();
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
