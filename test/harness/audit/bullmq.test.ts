/**
 * The BullMQ-aware rules end-to-end: each state made for real with BullMQ 6.7 (Queue, Worker,
 * FlowProducer) on a real redis-server, audited, flagged with the parent/child ids and keys,
 * the child's failed reason and the fix; a healthy BullMQ keyspace on another server gives no
 * finding at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport, Finding } from '../../../harness/audit/audit-types.js';
import { runAudit } from '../../../harness/audit/run-audit.js';
import { useRedis } from '../../support/redis.js';
import {
  healthyBullmq, overdueDelayed, parentWithFailedChild, parentWithMissingChild, schedulerWithoutNext, sleep, stalledActiveJob, waitingWithoutWorker,
} from './bullmq-fixtures.js';

const sick = useRedis();
const healthy = useRedis();
const THRESHOLDS = { pendingAgeMs: 100, idleAgeMs: 100 };

let report: AuditReport;
let made: {
  failed: Awaited<ReturnType<typeof parentWithFailedChild>>;
  missing: Awaited<ReturnType<typeof parentWithMissingChild>>;
  stalled: Awaited<ReturnType<typeof stalledActiveJob>>;
  idle: Awaited<ReturnType<typeof waitingWithoutWorker>>;
  delayed: Awaited<ReturnType<typeof overdueDelayed>>;
  scheduler: Awaited<ReturnType<typeof schedulerWithoutNext>>;
};

beforeAll(async () => {
  made = {
    failed: await parentWithFailedChild(sick.url),
    missing: await parentWithMissingChild(sick.url),
    stalled: await stalledActiveJob(sick.url),
    idle: await waitingWithoutWorker(sick.url),
    delayed: await overdueDelayed(sick.url),
    scheduler: await schedulerWithoutNext(sick.url),
  };
  await sleep(250);
  report = await runAudit({ redis: sick.url, ...THRESHOLDS });
}, 60_000);

const ofCode = (code: string): Finding[] => report.findings.filter((f) => f.code === code);

describe('BullMQ states made for real', () => {
  it('a child failed for good without a failure option → BULLMQ_PARENT_STUCK naming parent, child, reason and the option to set', () => {
    const f = ofCode('BULLMQ_PARENT_STUCK').find((x) => x.evidence.keys![0] === made.failed.parentKey)!;
    expect(f.severity).toBe('critical');
    expect(f.evidence.keys).toEqual([made.failed.parentKey, made.failed.childKey]);
    expect(f.evidence.counts).toEqual({ pendingDependencies: 1, failedChildren: 1, missingChildren: 0 });
    expect(f.evidence.detail).toEqual([
      `parent ${made.failed.parentKey} (job ${made.failed.parentId}) in bull:reports:waiting-children`,
      `child ${made.failed.childKey} (job ${made.failed.childId}) failed for good: upstream answered 503; its failure options: none`,
    ]);
    expect(f.fix).toContain('failParentOnFailure');
    expect(f.fix).toContain(`Job.fromId(queue, '${made.failed.childId}')`);
  });

  it('a dependency on a job that no longer exists → BULLMQ_PARENT_STUCK with the SREM to run by hand', () => {
    const f = ofCode('BULLMQ_PARENT_STUCK').find((x) => x.evidence.keys![0] === made.missing.parentKey)!;
    expect(f.evidence.keys).toEqual([made.missing.parentKey, made.missing.childKey]);
    expect(f.evidence.counts).toEqual({ pendingDependencies: 1, failedChildren: 0, missingChildren: 1 });
    expect(f.evidence.detail![1]).toMatch(/does not exist$/);
    expect(f.fix).toContain(`SREM ${made.missing.parentKey}:dependencies ${made.missing.childKey}`);
    expect(ofCode('BULLMQ_PARENT_STUCK')).toHaveLength(2);
  });

  it('an active job whose lock expired → BULLMQ_STALLED_ACTIVE', () => {
    const [f] = ofCode('BULLMQ_STALLED_ACTIVE');
    expect(f).toMatchObject({ severity: 'critical', evidence: { keys: [made.stalled.jobKey], counts: { stalled: 1, active: 1 } } });
    expect(f.title).toContain('bull:renders');
    expect(f.title).toContain('no worker runs the stalled check');
  });

  it('waiting jobs and no worker seen → BULLMQ_NO_WORKER for that queue only', () => {
    const fs = ofCode('BULLMQ_NO_WORKER');
    expect(fs.map((f) => f.evidence.keys![0])).toEqual(['bull:emails:wait']);
    expect(fs[0].evidence.keys![1]).toBe(made.idle.jobKeys[0]);
    expect(fs[0].evidence.counts).toEqual({ waiting: 3 });
    expect(fs[0].evidence.agesMs!.oldestWaiting).toBeGreaterThan(THRESHOLDS.idleAgeMs);
  });

  it('a delayed job long overdue → BULLMQ_DELAYED_OVERDUE', () => {
    const [f] = ofCode('BULLMQ_DELAYED_OVERDUE');
    expect(f).toMatchObject({ severity: 'warning', evidence: { keys: [made.delayed.jobKey], counts: { overdue: 1, delayed: 1 } } });
  });

  it('a job scheduler without its next job → BULLMQ_SCHEDULER_NO_NEXT', () => {
    const [f] = ofCode('BULLMQ_SCHEDULER_NO_NEXT');
    expect(f).toMatchObject({ severity: 'critical', evidence: { keys: [made.scheduler.schedulerKey, made.scheduler.nextJobKey], counts: { withoutNext: 1, schedulers: 1 } } });
    expect(f.fix).toContain("upsertJobScheduler('cleanup'");
  });

  it('nothing else: no generic finding on BullMQ\'s own layout (mixed types, TTL families)', () => {
    expect([...new Set(report.findings.map((f) => f.code))].sort()).toEqual([
      'BULLMQ_DELAYED_OVERDUE', 'BULLMQ_NO_WORKER', 'BULLMQ_PARENT_STUCK', 'BULLMQ_SCHEDULER_NO_NEXT', 'BULLMQ_STALLED_ACTIVE',
    ]);
  });
});

describe('a healthy BullMQ keyspace', () => {
  let stop: () => Promise<void>;
  afterAll(async () => stop?.());

  it('gives no finding of any severity', async () => {
    const { worker, queue } = await healthyBullmq(healthy.url);
    stop = async () => {
      await worker.close();
      await queue.close();
    };
    await sleep(250);
    const r = await runAudit({ redis: healthy.url, ...THRESHOLDS });
    expect(r.findings).toEqual([]);
    expect(r.keysScanned).toBeGreaterThan(20);
  });
});
