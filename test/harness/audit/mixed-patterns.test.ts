/** The mixed-coordination rule on literal keys, through the scan's aggregation (pure, no Redis). */
import { describe, expect, it } from 'vitest';
import { mixedPatternsRule } from '../../../harness/audit/rules/mixed-patterns.js';
import { factsFromKeys } from './literal-facts.js';

describe('MIXED_COORDINATION, judged per queue name', () => {
  it('one queue name as a list in one namespace and a stream in another → critical (the seeds\' mix-up)', () => {
    const a = mixedPatternsRule(factsFromKeys([['alpha:orchestrator.tasks', 'list'], ['beta:orchestrator.tasks', 'stream']]));
    expect(a.map((f) => [f.code, f.severity])).toEqual([['MIXED_COORDINATION', 'critical']]);
    expect(a[0].evidence.keys).toEqual(['alpha:orchestrator.tasks', 'beta:orchestrator.tasks']);
    expect(a[0].evidence.counts).toEqual({ lists: 1, streams: 1 });
    expect(a[0].title).toContain('"orchestrator.tasks"');
    const b = mixedPatternsRule(factsFromKeys([['ns1:orders', 'list'], ['ns2:orders', 'stream']]));
    expect(b.map((f) => f.code)).toEqual(['MIXED_COORDINATION']);
    // ids do not make names differ: shard 1's list and shard 2's stream are the same queue
    const c = mixedPatternsRule(factsFromKeys([['app:jobs:1', 'list'], ['app:jobs:2', 'stream']]));
    expect(c.map((f) => f.code)).toEqual(['MIXED_COORDINATION']);
  });

  it('queue names that merely share a word, two applications\' queues, a shared namespace → nothing', () => {
    expect(mixedPatternsRule(factsFromKeys([['orchestrator.tasks', 'list'], ['tasks.done', 'stream']]))).toEqual([]);
    expect(mixedPatternsRule(factsFromKeys([['shop:jobs:emails', 'list'], ['crm:jobs:events', 'stream']]))).toEqual([]);
    expect(mixedPatternsRule(factsFromKeys([['app:jobs:1', 'list'], ['app:jobs:2', 'list'], ['app:events:1', 'stream'], ['app:cache:1', 'string']]))).toEqual([]);
  });

  it('BullMQ\'s own layout (lists and an events stream per queue, two queues) is exempt; a lookalike without meta/id is not', () => {
    const bull = (q: string): [string, string][] => [[`bull:${q}:wait`, 'list'], [`bull:${q}:active`, 'list'], [`bull:${q}:events`, 'stream'], [`bull:${q}:meta`, 'hash'], [`bull:${q}:id`, 'string']];
    expect(mixedPatternsRule(factsFromKeys([...bull('mail'), ...bull('sms'), ['bull:mail:1:logs', 'list']]))).toEqual([]);
    // `events` lists in one app and an `events` stream (no BullMQ meta/id) in another: mixed
    expect(mixedPatternsRule(factsFromKeys([['a:q:events', 'list'], ['b:q:events', 'stream']])).map((f) => f.code)).toEqual(['MIXED_COORDINATION']);
  });

  it('a key named like a stream that is a list → KEY_ROLE_MISMATCH (warning)', () => {
    expect(mixedPatternsRule(factsFromKeys([['audit:stream', 'list']])).map((f) => [f.code, f.severity, f.evidence.keys])).toEqual([['KEY_ROLE_MISMATCH', 'warning', ['audit:stream']]]);
  });
});

describe('BullMQ recognition', () => {
  it('a meta hash or id counter alone is no BullMQ queue: its keys stay ordinary', async () => {
    const { KeyspaceAggregate } = await import('../../../harness/audit/aggregate/keyspace-aggregate.js');
    const agg = new KeyspaceAggregate();
    for (const [k, type] of [['user:7:meta', 'hash'], ['order:9:id', 'string'], ['bull:mail:meta', 'hash'], ['bull:mail:events', 'stream']]) {
      agg.visit({ raw: Buffer.from(k), text: k, type, pttl: -1 });
    }
    agg.finish();
    expect([...agg.bullmq.confirmed().keys()]).toEqual(['bull:mail']);
  });
});
