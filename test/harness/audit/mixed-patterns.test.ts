/** The mixed-coordination rule on literal facts (pure, no Redis). */
import { describe, expect, it } from 'vitest';
import type { AuditFacts } from '../../../harness/audit/audit-facts.js';
import { keyRef } from '../../../harness/audit/key-name.js';
import { mixedPatternsRule } from '../../../harness/audit/rules/mixed-patterns.js';

function facts(keys: [string, string][]): AuditFacts {
  return {
    now: 0, truncated: false, streams: new Map(), maxmemoryPolicy: 'noeviction', configError: null, fanin: [],
    thresholds: { pendingAgeMs: 1, idleAgeMs: 1, streamLength: 1e9, maxKeys: 1e9 },
    keys: keys.map(([k, type]) => ({ ...keyRef(Buffer.from(k)), type })),
  };
}

describe('MIXED_COORDINATION', () => {
  it('flags one queue name used as a list and a stream (queue word, or the same leaf in two namespaces)', () => {
    const a = mixedPatternsRule(facts([['orchestrator.tasks', 'list'], ['tasks.done', 'stream']]));
    expect(a.map((f) => [f.code, f.severity])).toEqual([['MIXED_COORDINATION', 'critical']]);
    expect(a[0].evidence.keys).toEqual(['orchestrator.tasks', 'tasks.done']);
    const b = mixedPatternsRule(facts([['ns1:orders', 'list'], ['ns2:orders', 'stream']]));
    expect(b.map((f) => f.code)).toEqual(['MIXED_COORDINATION']);
  });

  it('does not flag a namespace shared by lists and streams of different queues', () => {
    expect(mixedPatternsRule(facts([['app:jobs:1', 'list'], ['app:jobs:2', 'list'], ['app:events:1', 'stream'], ['app:cache:1', 'string']]))).toEqual([]);
    expect(mixedPatternsRule(facts([['bull:mail:wait', 'list'], ['bull:mail:events', 'stream']]))).toEqual([]);
  });
});
