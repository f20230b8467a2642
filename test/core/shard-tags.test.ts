/**
 * Slot-aware shard hash tags: shard i of S gets a tag whose Redis Cluster slot (CRC16 of the
 * tag, as cluster-key-slot, the routing ioredis uses, computes it) falls in the i-th of S equal
 * slot ranges, so a cluster whose masters own equal slot ranges (and S ≥ masters) gives every
 * master at least one shard. Deterministic: computed from the prefix and the shard index alone.
 */
import calculateSlot from 'cluster-key-slot';
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/keys.js';
import { crc16Slot } from '../../src/shard-tags.js';

const SLOTS = 16_384;
const rangeOf = (slot: number, shards: number) => Math.floor((slot * shards) / SLOTS);

describe('shard hash tags', () => {
  it.each([1, 2, 3, 5, 16, 64, 1024])('the tags of %i shards fall in as many distinct equal slot ranges, shard i in range i', (shards) => {
    const keys = new Keyspace({ prefix: 'fanin-run-abc', shards });
    for (const i of keys.shardIds()) {
      const slot = calculateSlot(keys.queue(i, 'a'));
      expect(rangeOf(slot, shards), `shard ${i}`).toBe(i);
    }
  });

  it('every key of a shard shares its slot; another Keyspace with the same options derives the same keys', () => {
    const a = new Keyspace({ prefix: 'p', shards: 3 });
    const b = new Keyspace({ prefix: 'p', shards: 3 });
    for (const id of ['e1', 'e2', 'e3', 'e4']) {
      const s = a.shardOf(id);
      const slots = new Set([a.experiment(id), a.stageResults(id, 1), a.done(id), a.task(id, `${id}/0/0`), a.artifacts(id), a.queue(s, 'x'), a.deadlines(s), a.ended(s), a.deadLetter(s)].map((k) => calculateSlot(k)));
      expect(slots.size).toBe(1);
      expect(b.experiment(id)).toBe(a.experiment(id));
    }
  });

  it('describe() reads the shard back from a slot-aware key', () => {
    const keys = new Keyspace({ prefix: 'p', shards: 16 });
    for (const i of keys.shardIds()) expect(keys.describe(keys.queue(i, 'st'))).toMatchObject({ kind: 'q', shard: i, stage: 'st' });
  });

  it('crc16Slot is the Redis Cluster slot (CRC16/XMODEM mod 16384), hash tags included', () => {
    for (const k of ['', 'a', '123456789', 'foo{bar}baz', '{}x', 'user:{1000}:following']) expect(crc16Slot(k)).toBe(calculateSlot(k));
    // an empty first tag hashes the whole key (redis-server 7.0 CLUSTER KEYSLOT answers 14166)
    expect(crc16Slot('x{}{y}')).toBe(14166);
  });
});
