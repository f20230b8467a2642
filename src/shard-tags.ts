/**
 * The Redis Cluster hash tag of each shard, chosen slot-aware. A cluster maps a key to one of
 * 16384 slots by the CRC16 (XMODEM) of its hash tag, and `redis-cli --cluster create` (and the
 * harness's cluster provider) give each of M masters an equal, contiguous slot range. Tags
 * `{prefix:i}` land wherever CRC16 puts them (three shards on three different masters only
 * about one time in five); instead shard i of S takes the first tag of `prefix:i`,
 * `prefix:i:1`, `prefix:i:2`, … whose slot lies in the i-th of S equal slot ranges. With
 * S a multiple of M (S ≥ M), every master then owns S/M shards. Deterministic: derived from the
 * prefix and the shard index alone, so every process computes the same keys without asking
 * the cluster. See docs/cluster.md.
 */

export const CLUSTER_SLOTS = 16_384;

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let j = 0; j < 8; j++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

const encoder = new TextEncoder();

function crc16(bytes: Uint8Array, init = 0): number {
  let crc = init;
  for (const b of bytes) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ b) & 0xff];
  return crc;
}

/** The Redis Cluster slot of a key (its `{hash tag}` when it has a non-empty one). */
export function crc16Slot(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  return crc16(encoder.encode(key)) % CLUSTER_SLOTS;
}

/** The hash tag (without braces) of shard `index` of `shards`: its slot is in range `index`. */
export function shardTag(prefix: string, index: number, shards: number): string {
  const from = Math.ceil((index * CLUSTER_SLOTS) / shards);
  const to = Math.ceil(((index + 1) * CLUSTER_SLOTS) / shards); // exclusive
  // one slot of margin at each end of a wide range: a master's range rounded either way
  // (redis-cli, ADDSLOTSRANGE by hand) still contains it when S is a multiple of M
  const margin = to - from >= 4 ? 1 : 0;
  const inRange = (slot: number) => slot >= from + margin && slot < to - margin;
  const base = `${prefix}:${index}`;
  if (inRange(crc16Slot(base))) return base;
  // the prefix has no braces (keys.ts), so the tag is the whole string: CRC the head once
  const head = crc16(encoder.encode(`${base}:`));
  for (let n = 1; ; n++) {
    const digits = String(n); // ASCII: its char codes are its bytes
    let crc = head;
    for (let i = 0; i < digits.length; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ digits.charCodeAt(i)) & 0xff];
    if (inRange(crc % CLUSTER_SLOTS)) return `${base}:${n}`;
  }
}

const memo = new Map<string, readonly string[]>();

/** Every shard's tag, 0..shards-1 (memoised per prefix and shard count). */
export function shardTags(prefix: string, shards: number): readonly string[] {
  const k = `${shards}\u0000${prefix}`;
  let tags = memo.get(k);
  if (!tags) {
    tags = Object.freeze(Array.from({ length: shards }, (_, i) => shardTag(prefix, i, shards)));
    if (memo.size > 256) memo.clear();
    memo.set(k, tags);
  }
  return tags;
}
