/**
 * What identifies a queue message across its redeliveries, as a dead-letter event names it
 * (`messageId`): a stream entry keeps its id; a list item is pushed back with its delivery
 * count `d` raised, so its task fields (t, k, e) identify it; anything else is its own text.
 * Hashed, so a huge message makes a short identity.
 */
import { createHash } from 'node:crypto';

export function messageIdentity(text: string): string {
  let key = text;
  try {
    const m = JSON.parse(text) as Record<string, unknown>;
    if (m && typeof m === 'object' && typeof m.t === 'string' && typeof m.k === 'string' && typeof m.e === 'string') key = JSON.stringify([m.t, m.k, m.e]);
  } catch {
    /* not JSON: the text itself */
  }
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
