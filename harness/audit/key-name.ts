/**
 * Key names as Redis stores them (binary-safe Buffers) and as people read them: printable
 * ASCII as is, everything else escaped (\xNN, \n, \t, \\, \"), long names shortened.
 */
const MAX_SHOWN = 200;

export function displayKey(raw: Buffer | string): string {
  const buf = typeof raw === 'string' ? Buffer.from(raw) : raw;
  let out = '';
  for (const b of buf.subarray(0, MAX_SHOWN)) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  if (buf.length > MAX_SHOWN) out += `…(${buf.length} bytes)`;
  return /[ "\\]/.test(out) || out !== buf.toString('latin1') ? `"${out}"` : out;
}

export interface KeyRef {
  /** the exact bytes, for commands */
  raw: Buffer;
  /** printable form, for findings */
  name: string;
  /** the bytes as text (latin1, lossless) for parsing by key schema */
  text: string;
}

export function keyRef(raw: Buffer): KeyRef {
  return { raw, name: displayKey(raw), text: raw.toString('latin1') };
}

/** The fanin key of the same shard (same `<prefix>:{<tag>}:` head) with the given kind and parts. */
export function siblingKey(key: string, rest: string): string {
  return key.slice(0, key.indexOf('}:') + 2) + rest;
}
