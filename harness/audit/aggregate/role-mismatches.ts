/** Keys whose type contradicts the role their name announces (`audit:stream` a list), collected while scanning. */
import { displayKey } from '../key-name.js';

export const MAX_ROLE_MISMATCHES = 100;

export interface RoleMismatch {
  key: string;
  type: 'list' | 'stream';
  role: 'list' | 'stream';
  /** a Redis Cluster: the master the key lives on */
  node?: string;
}

export function roleOfName(text: string): 'list' | 'stream' | null {
  const n = text.toLowerCase();
  return /stream/.test(n) ? 'stream' : /(^|[:._-])list([:._-]|$)/.test(n) ? 'list' : null;
}

export class RoleMismatches {
  readonly found: RoleMismatch[] = [];

  add(raw: Buffer, text: string, type: string, node: string | null = null): void {
    if ((type !== 'list' && type !== 'stream') || this.found.length >= MAX_ROLE_MISMATCHES) return;
    const role = roleOfName(text);
    if (role && role !== type) this.found.push({ key: displayKey(raw), type, role, ...(node !== null ? { node } : {}) });
  }
}
