/** Every issue-15 rule on literal facts (pure functions, no Redis): what each flags, and what it leaves alone. */
import { describe, expect, it } from 'vitest';
import { bullmqDelayedOverdueRule } from '../../../harness/audit/rules/bullmq-delayed-overdue.js';
import { bullmqNoWorkerRule } from '../../../harness/audit/rules/bullmq-no-worker.js';
import { bullmqSchedulerNoNextRule } from '../../../harness/audit/rules/bullmq-scheduler-no-next.js';
import { bullmqStalledActiveRule } from '../../../harness/audit/rules/bullmq-stalled-active.js';
import { bullmqStuckParentRule } from '../../../harness/audit/rules/bullmq-stuck-parent.js';
import { errorStatsRule } from '../../../harness/audit/rules/error-stats.js';
import { keyFamiliesRule } from '../../../harness/audit/rules/key-families.js';
import { processingListsRule } from '../../../harness/audit/rules/processing-lists.js';
import { serverConfigRule } from '../../../harness/audit/rules/server-config.js';
import { childFailureOptions } from '../../../harness/audit/inspect-bullmq.js';
import { emptyFacts, factsFromKeys, healthyBullQueue } from './literal-facts.js';

const NOW = 1_000_000_000;

describe('generic rules', () => {
  it('KEY_FAMILY_WITHOUT_TTL: only families with members both with and without a TTL; fanin and BullMQ layouts exempt', () => {
    const f = factsFromKeys([
      ['task:1:data', 'string', 5000], ['task:2:data', 'string', 5000], ['task:3:data', 'string', -1],
      ['user:1', 'hash', -1], ['user:2', 'hash', -1], ['sess:1', 'string', 10], ['sess:2', 'string', 10],
      ['p:{p:0}:task:e1:e1/0/0', 'string', -1], ['p:{p:0}:task:e2:e2/0/0', 'string', 5000],
      ['bull:q:meta', 'hash', -1], ['bull:q:events', 'stream', -1], ['bull:q:de:1', 'string', 100], ['bull:q:de:2', 'string', -1],
    ]);
    const out = keyFamiliesRule(f);
    expect(out.map((x) => [x.code, x.severity, x.evidence.keys, x.evidence.counts])).toEqual([
      ['KEY_FAMILY_WITHOUT_TTL', 'warning', ['task:3:data'], { withoutTtl: 1, withTtl: 2 }],
    ]);
    expect(out[0].title).toContain('task:*:data');
  });

  it('SERVER_ERROR_STATS: WRONGTYPE/NOGROUP/OOM only; other errors, zero counts or an unreadable INFO → nothing', () => {
    const [f] = errorStatsRule(emptyFacts({ errorStats: { WRONGTYPE: 4, OOM: 1, ERR: 9 } }));
    expect(f).toMatchObject({ code: 'SERVER_ERROR_STATS', severity: 'warning', evidence: { counts: { WRONGTYPE: 4, OOM: 1 } } });
    expect(f.title).toContain('server-wide, since the last restart');
    expect(errorStatsRule(emptyFacts({ errorStats: { ERR: 3, NOPERM: 2 } }))).toEqual([]);
    expect(errorStatsRule(emptyFacts({ errorStats: null }))).toEqual([]);
  });

  it('EVICTION_POLICY from INFO memory says so; CONFIG_UNREADABLE only when the policy stays unknown', () => {
    const info = serverConfigRule(emptyFacts({ maxmemoryPolicy: 'volatile-lru', maxmemoryPolicySource: 'info', configError: 'NOPERM' }));
    expect(info.map((x) => [x.code, x.evidence.detail])).toEqual([['EVICTION_POLICY', ['maxmemory-policy volatile-lru (from INFO memory; CONFIG GET refused)']]]);
    expect(serverConfigRule(emptyFacts({ maxmemoryPolicy: 'noeviction', maxmemoryPolicySource: 'info', configError: 'NOPERM' }))).toEqual([]);
    expect(serverConfigRule(emptyFacts({ maxmemoryPolicy: null, maxmemoryPolicySource: null, configError: 'NOPERM' })).map((x) => x.code)).toEqual(['CONFIG_UNREADABLE']);
  });

  it('LIST_PROCESSING_NO_HEARTBEAT: critical beside live siblings, warning in a namespace without heartbeats, empty lists ignored', () => {
    const l = (key: string, owner: string, length: number, ownerHasHeartbeat: boolean, namespaceHasHeartbeats: boolean) => ({ key, namespace: 'app', owner, length, ownerHasHeartbeat, namespaceHasHeartbeats });
    const out = processingListsRule(emptyFacts({
      processingLists: [l('app:processing:a', 'a', 2, false, true), l('app:processing:b', 'b', 1, true, true), l('app:processing:c', 'c', 0, false, true), l('x:processing:d', 'd', 1, false, false)],
    }));
    expect(out.map((x) => [x.severity, x.evidence.keys])).toEqual([['critical', ['app:processing:a']], ['warning', ['x:processing:d']]]);
  });
});

describe('BullMQ rules', () => {
  const parent = { id: '7', key: 'bull:reports:7' };
  const stuck = healthyBullQueue('bull:reports', {
    counts: { wait: 0, active: 0, delayed: 0, waitingChildren: 1, failed: 0, prioritized: 0, schedulers: 0 },
    stuckParents: [{
      parent, queue: 'bull:reports', pending: 2,
      blocking: [{ id: '3', key: 'bull:fetches:3', state: 'failed', failedReason: 'HTTP 503', options: childFailureOptions('{"id":"7","queueKey":"bull:reports"}', '{"attempts":1}') }],
    }],
  });

  it('BULLMQ_PARENT_STUCK: one finding per parent with parent, child, reason and fix', () => {
    const [f, ...rest] = bullmqStuckParentRule(emptyFacts({ bullmq: [stuck] }));
    expect(rest).toEqual([]);
    expect(f.evidence.keys).toEqual(['bull:reports:7', 'bull:fetches:3']);
    expect(f.evidence.detail).toEqual(['parent bull:reports:7 (job 7) in bull:reports:waiting-children', 'child bull:fetches:3 (job 3) failed for good: HTTP 503; its failure options: none']);
    expect(f.fix).toMatch(/failParentOnFailure/);
    expect(bullmqStuckParentRule(emptyFacts({ bullmq: [healthyBullQueue('bull:reports')] }))).toEqual([]);
  });

  it('childFailureOptions reads the parent field (fpof...) and opts (short or long names)', () => {
    expect(childFailureOptions('{"fpof":true}', null).failParentOnFailure).toBe(true);
    expect(childFailureOptions(null, '{"idof":true}').ignoreDependencyOnFailure).toBe(true);
    expect(childFailureOptions(null, '{"removeDependencyOnFailure":true}').removeDependencyOnFailure).toBe(true);
    expect(childFailureOptions('not json', '')).toEqual({ failParentOnFailure: false, ignoreDependencyOnFailure: false, continueParentOnFailure: false, removeDependencyOnFailure: false });
  });

  it('BULLMQ_STALLED_ACTIVE names the unlocked jobs; says when no stalled check runs', () => {
    const q = healthyBullQueue('bull:r', { stalledCheckAlive: false, counts: { ...healthyBullQueue('x').counts, active: 2 }, activeWithoutLock: [{ id: '1', key: 'bull:r:1', processedOnMs: NOW - 5000 }] });
    const [f] = bullmqStalledActiveRule(emptyFacts({ bullmq: [q] }));
    expect(f).toMatchObject({ severity: 'critical', evidence: { keys: ['bull:r:1'], counts: { stalled: 1, active: 2 }, agesMs: { 'processing:1': 5000 } } });
    expect(f.title).toContain('no worker runs the stalled check');
  });

  it('BULLMQ_NO_WORKER: old waiting job, no stalled-check key, quiet events; not when any says a worker lives or the queue is paused', () => {
    const base = healthyBullQueue('bull:e', {
      stalledCheckAlive: false, lastEventMs: NOW - 600_000, counts: { ...healthyBullQueue('x').counts, wait: 3 }, oldestWaiting: { id: '1', key: 'bull:e:1', timestampMs: NOW - 600_000 },
    });
    const f = bullmqNoWorkerRule(emptyFacts({ bullmq: [base] }));
    expect(f.map((x) => [x.code, x.evidence.counts, x.evidence.agesMs])).toEqual([['BULLMQ_NO_WORKER', { waiting: 3 }, { oldestWaiting: 600_000, sinceLastEvent: 600_000 }]]);
    for (const alive of [{ stalledCheckAlive: true }, { lastEventMs: NOW - 1000 }, { paused: true }, { oldestWaiting: { id: '1', key: 'bull:e:1', timestampMs: NOW - 1000 } }]) {
      expect(bullmqNoWorkerRule(emptyFacts({ bullmq: [{ ...base, ...alive }] }))).toEqual([]);
    }
  });

  it('BULLMQ_DELAYED_OVERDUE and BULLMQ_SCHEDULER_NO_NEXT', () => {
    const q = healthyBullQueue('bull:n', {
      counts: { ...healthyBullQueue('x').counts, delayed: 4, schedulers: 2 },
      overdueDelayed: { count: 2, earliest: [{ id: '9', key: 'bull:n:9', dueMs: NOW - 900_000 }] },
      schedulersWithoutNext: [{ id: 'cleanup', key: 'bull:n:repeat:cleanup', nextMs: NOW, nextJobKey: `bull:n:repeat:cleanup:${NOW}` }],
    });
    const facts = emptyFacts({ bullmq: [q] });
    expect(bullmqDelayedOverdueRule(facts)[0]).toMatchObject({ severity: 'warning', evidence: { keys: ['bull:n:9'], counts: { overdue: 2, delayed: 4 }, agesMs: { 'overdue:9': 900_000 } } });
    expect(bullmqSchedulerNoNextRule(facts)[0]).toMatchObject({ severity: 'critical', evidence: { keys: ['bull:n:repeat:cleanup', `bull:n:repeat:cleanup:${NOW}`] } });
    const fine = emptyFacts({ bullmq: [healthyBullQueue('bull:n')] });
    expect([...bullmqDelayedOverdueRule(fine), ...bullmqSchedulerNoNextRule(fine), ...bullmqStalledActiveRule(fine), ...bullmqNoWorkerRule(fine)]).toEqual([]);
  });
});
