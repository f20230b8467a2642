import { describe, expect, it } from 'vitest';
import { healthChecker } from '../../../harness/checkers/pending-health.js';
import { EXPECT, healthySnapshot, history, inputOf } from './build-history.js';

const ZERO = { pending: 0, lag: 0, processing: 0, queued: 0, delayed: 0, dead_letters: 0, task_keys_without_ttl: 0, wrong_types: 0 };
const h = history();

describe('health checker', () => {
  it('is valid for a quiescent keyspace', () => {
    const r = healthChecker.check(inputOf(h, []));
    expect(r.name).toBe('health');
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual(ZERO);
    expect(r.evidence).toEqual([]);
  });

  it('names everything left behind', () => {
    const health = healthySnapshot();
    health.groups[1] = { ...health.groups[1], pending: 2, lag: 3, consumers: [{ name: 'w-dead', pending: 2, idleMs: 40_000 }, { name: 'w-ok', pending: 0, idleMs: 1 }] };
    health.processingLists = [{ key: 'p:{0}:proc:review:w-1', length: 1 }, { key: 'p:{0}:proc:review:w-2', length: 0 }];
    health.queues = [{ key: 'p:{0}:q:moderation', length: 4 }];
    health.delayed = [{ key: 'p:{0}:delayed:review', length: 1 }];
    health.deadLetters = [{
      key: 'p:{0}:dead', length: 3,
      entries: [
        { exp: 'e1', stage: 'review', task: 'e1/3/0', reason: 'agent refused' },
        { exp: 'e1', stage: 'review', task: 'e1/3/1', reason: 'agent refused' },
        { stage: 'moderation', reason: 'malformed message', message: '{' },
      ],
    }];
    health.taskKeys = { total: 10, withoutTtl: ['p:{0}:task:e1/1/0'] };
    health.wrongTypes = [{ key: 'p:{0}:exp:e1', actual: 'string', expected: 'hash' }];
    const r = healthChecker.check(inputOf(h, [], { health }));
    expect(r.valid).toBe(false);
    expect(r.metrics).toEqual({ pending: 2, lag: 3, processing: 1, queued: 4, delayed: 1, dead_letters: 3, task_keys_without_ttl: 1, wrong_types: 1 });
    const msgs = r.evidence.map((e) => e.message);
    expect(msgs).toEqual([
      `group fanin of ${health.groups[1].stream} has 2 pending entries, held by w-dead (2, idle 40000 ms)`,
      `group fanin of ${health.groups[1].stream} has 3 undelivered entries (lag)`,
      'processing list p:{0}:proc:review:w-1 holds 1 item',
      'stage queue p:{0}:q:moderation holds 4 items',
      'delayed-retry set p:{0}:delayed:review holds 1 item',
      'dead letter p:{0}:dead holds 3 entries: review: agent refused (×2), moderation: malformed message; tasks e1/3/0, e1/3/1',
      '1 of 10 task keys have no TTL: p:{0}:task:e1/1/0',
      'key p:{0}:exp:e1 is a string, expected a hash',
    ]);
  });

  it('tolerates dead letters when the scenario expects them, but still names them', () => {
    const health = healthySnapshot();
    health.deadLetters = [{ key: 'p:{0}:dead', length: 1, entries: [{ stage: 'review', task: 'e1/3/0', reason: 'agent refused' }] }];
    const r = healthChecker.check(inputOf(h, [], { health, expect: { ...EXPECT, deadLetterExpected: true } }));
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual({ ...ZERO, dead_letters: 1 });
    expect(r.evidence[0]).toMatchObject({ taskId: 'e1/3/0' });
    expect(r.evidence[0].message).toContain('(expected by the scenario)');
  });

  it('is unknown when a lag cannot be read, false when something else is wrong too', () => {
    const health = healthySnapshot();
    health.groups[0] = { ...health.groups[0], lag: null };
    const r = healthChecker.check(inputOf(h, [], { health }));
    expect(r.valid).toBe('unknown');
    expect(r.metrics).toEqual(ZERO);
    expect(r.evidence[0].message).toContain(health.groups[0].stream);
    health.wrongTypes = [{ key: 'k', actual: 'list', expected: 'stream' }];
    expect(healthChecker.check(inputOf(h, [], { health })).valid).toBe(false);
  });
});
