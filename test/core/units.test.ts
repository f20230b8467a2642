/** Pure pieces of the core: key builder, spec validation, backoff, canonical JSON, URLs. */
import { shardTags } from '../../src/shard-tags.js';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash, sha256 } from '../../src/artifacts/canonical-json.js';
import { ConfigError, SpecError } from '../../src/errors.js';
import { Keyspace } from '../../src/keys.js';
import { compactSpec, CONSTITUTIONAL_PIPELINE, parsePipelineSpec } from '../../src/pipeline/spec.js';
import { parseRedisUrl, redactUrl } from '../../src/redis/connection.js';
import { parseListMessage, parseStreamFields } from '../../src/transport/task-message.js';
import { backoffDelay } from '../../src/worker/backoff.js';

describe('Keyspace', () => {
  it('puts every key of an experiment and its shard queues under one hash tag', () => {
    const k = new Keyspace({ prefix: 'app', shards: 4 });
    const id = 'exp-42';
    const shard = k.shardOf(id);
    const tag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];
    const keys = [k.experiment(id), k.stageResults(id, 2), k.done(id), k.task(id, `${id}/0/0`), k.artifacts(id), k.queue(shard, 'review'), k.deadlines(shard), k.deadLetter(shard), k.delayed(shard, 'review'), k.processing(shard, 'review', 'w1')];
    // the shard's tag: `app:<shard>` or, slot-aware, `app:<shard>:<n>` (shard-tags.test.ts)
    const shardTag = shardTags('app', 4)[shard];
    expect(shardTag).toMatch(new RegExp(`^app:${shard}(:\\d+)?$`));
    expect(new Set(keys.map(tag))).toEqual(new Set([shardTag]));
    expect(k.experiment(id)).toBe(`app:{${shardTag}}:exp:exp-42`);
  });

  it('spreads experiments over shards deterministically', () => {
    const k = new Keyspace({ prefix: 'app', shards: 4 });
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) counts[k.shardOf(`e${i}`)] += 1;
    expect(counts.every((c) => c > 60)).toBe(true);
    expect(k.shardOf('e1')).toBe(new Keyspace({ prefix: 'other', shards: 4 }).shardOf('e1'));
  });

  it('refuses prefixes with braces and bad shard counts', () => {
    expect(() => new Keyspace({ prefix: 'a{b}', shards: 1 })).toThrow(ConfigError);
    expect(() => new Keyspace({ prefix: 'a', shards: 0 })).toThrow(/shards must be an integer/);
  });
});

describe('pipeline spec', () => {
  it('the reference pipeline compacts to the widths and policies the Lua scripts read', () => {
    expect(compactSpec(CONSTITUTIONAL_PIPELINE).stages).toEqual([
      { n: 'pre_test', w: 1, p: 'fail', m: 1, a: 3, t: 60_000, x: 0 },
      { n: 'analyse_batch', w: -1, p: 'fail', m: 1, a: 3, t: 60_000, x: 0 },
      { n: 'corpus_synthesis', w: 1, p: 'fail', m: 1, a: 3, t: 60_000, x: 0 },
      { n: 'review', w: 2, p: 'continue', m: 1, a: 3, t: 60_000, x: 0 },
      { n: 'moderation', w: 1, p: 'fail', m: 1, a: 3, t: 60_000, x: 0 },
    ]);
  });

  it('names the problem in an invalid spec', () => {
    expect(() => parsePipelineSpec({ name: 'x', stages: [] })).toThrow(SpecError);
    expect(() => parsePipelineSpec({ name: 'x', stages: [{ name: 'a', width: 'dynamic' }] })).toThrow('stage "a" has a dynamic width');
    expect(() => parsePipelineSpec({ name: 'x', stages: [{ name: 'a', width: 2 }, { name: 'b', width: 'dynamic' }] })).toThrow(/stage before it must have width 1/);
    expect(() => parsePipelineSpec({ name: 'x', stages: [{ name: 'a' }, { name: 'a' }] })).toThrow('stage "a" appears twice');
    expect(() => parsePipelineSpec({ name: 'x', stages: [{ name: 'A-b' }] })).toThrow(/stages\.0\.name: stage names are lowercase/);
    expect(() => parsePipelineSpec({ name: 'x', stages: [{ name: 'a', widht: 2 }] })).toThrow(/Unrecognized key/);
    expect(() => parsePipelineSpec({ name: 'x', stages: [{ name: 'a', width: 2, onTaskFailure: 'continue', minSuccess: 3 }] })).toThrow(/minSuccess 3 exceeds its width 2/);
  });
});

describe('backoff', () => {
  it('grows exponentially, is capped, and is jittered within [d/2, d]', () => {
    const opts = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(1, opts, () => 0)).toBe(50);
    expect(backoffDelay(1, opts, () => 1)).toBe(100);
    expect(backoffDelay(3, opts, () => 1)).toBe(400);
    expect(backoffDelay(10, opts, () => 1)).toBe(1000);
    expect(backoffDelay(10, opts, () => 0)).toBe(500);
  });
});

describe('canonical JSON and content hashes', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(contentHash({ b: 1, a: 2 }).hash).toBe(contentHash({ a: 2, b: 1 }).hash);
    expect(contentHash({ a: 2, b: 1 }).hash).toBe(sha256('{"a":2,"b":1}'));
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow('non-finite number at $.a[1]');
  });
});

describe('Redis URLs', () => {
  it('accepts redis:// and rediss:// with credentials and redacts the password', () => {
    expect(parseRedisUrl('rediss://user:secret@host:6380/2').port).toBe('6380');
    expect(redactUrl('redis://user:secret@host:6379/0')).toBe('redis://user:***@host:6379/0');
    expect(redactUrl('redis://:secret@host')).toBe('redis://:***@host');
  });

  it('refuses other schemes and non-numeric databases, without leaking the password', () => {
    expect(() => parseRedisUrl('http://host')).toThrow(/scheme must be redis/);
    expect(() => parseRedisUrl('redis://u:pw@host/abc')).toThrow('invalid Redis URL "redis://u:***@host/abc": database "abc" is not a number');
    expect(() => parseRedisUrl('not a url')).toThrow(/not a URL/);
  });
});

describe('queue messages', () => {
  it('parses list items and stream fields, and explains malformed ones', () => {
    expect(parseListMessage('{"t":"e/0/0","k":"k","e":"e","d":2}')).toEqual({ ok: true, message: { taskId: 'e/0/0', taskKey: 'k', experimentId: 'e' }, previousDeliveries: 2 });
    expect(parseListMessage('{oops')).toEqual({ ok: false, problem: 'unparseable message: not JSON' });
    expect(parseListMessage('{"t":"x"}')).toMatchObject({ ok: false, problem: expect.stringMatching(/^malformed message: k: Required/) });
    expect(parseStreamFields(['t', 'a', 'k', 'b', 'e', 'c'])).toMatchObject({ ok: true, message: { taskId: 'a', taskKey: 'b', experimentId: 'c' } });
    expect(parseStreamFields(['junk', '1'])).toEqual({ ok: false, problem: 'malformed message: fields junk lack t, k or e' });
    expect(parseStreamFields(null)).toMatchObject({ ok: false, problem: expect.stringContaining('trimmed') });
  });
});

describe('Keyspace.describe', () => {
  it('parses every kind of key back', () => {
    const k = new Keyspace({ prefix: 'p.1', shards: 3 });
    const id = 'exp-9';
    const s = k.shardOf(id);
    expect(k.describe(k.experiment(id))).toMatchObject({ kind: 'exp', shard: s, experimentId: id });
    expect(k.describe(k.stageResults(id, 3))).toMatchObject({ kind: 'res', experimentId: id, stageIndex: 3 });
    expect(k.describe(k.task(id, `${id}/1/4`))).toMatchObject({ kind: 'task', experimentId: id, taskId: `${id}/1/4` });
    expect(k.describe(k.artifacts(id))).toMatchObject({ kind: 'art', experimentId: id });
    expect(k.describe(k.processing(2, 'review', 'w:1'))).toMatchObject({ kind: 'proc', shard: 2, stage: 'review', workerId: 'w:1' });
    expect(k.describe(k.queue(1, 'moderation'))).toMatchObject({ kind: 'q', shard: 1, stage: 'moderation' });
    expect(k.describe(k.deadLetter(0))).toMatchObject({ kind: 'dead', shard: 0 });
    expect(k.describe(k.deadlines(0))).toMatchObject({ kind: 'deadlines' });
    expect(k.describe('p.1:{p.1:0}:bogus')).toBeNull();
    expect(k.describe('other:{other:0}:exp:x')).toBeNull();
  });
});
