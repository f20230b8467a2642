/** The ACL rules of docs/security.md as tests apply them, and the denials a user met. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';

const DOC = readFileSync(join(import.meta.dirname, '../../docs/security.md'), 'utf8');

/** The `ACL SETUSER <user> ...` line of the doc, with PASSWORD ('pw') and PREFIX filled in. */
export function aclOf(user: string, prefix: string): string[] {
  const line = DOC.split('\n').find((l) => l.startsWith(`ACL SETUSER ${user} `));
  if (!line) throw new Error(`docs/security.md has no ACL SETUSER ${user} line`);
  return line.split(/\s+/).slice(3).map((t) => t.replace('PASSWORD', 'pw').replace('PREFIX', prefix));
}

/** `<reason> <object>` of every ACL LOG entry of `user` (e.g. `command client|unblock`). */
export async function aclDenials(admin: Redis, user: string): Promise<string[]> {
  const log = (await admin.call('ACL', 'LOG', '100')) as unknown[][];
  return log.map((e) => Object.fromEntries(Array.from({ length: e.length / 2 }, (_, i) => [e[2 * i], e[2 * i + 1]])) as Record<string, unknown>)
    .filter((e) => e.username === user).map((e) => `${e.reason} ${e.object}`);
}
