/**
 * BullMQ states the audit must recognise, each made FOR REAL with BullMQ 6.7's Queue, Worker and
 * FlowProducer on a given Redis (prefix `bull`). Each returns the ids and keys the findings must name.
 */
import { FlowProducer, Job, Queue, Worker, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function connectionOf(url: string): ConnectionOptions {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port), maxRetriesPerRequest: null };
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`bullmq fixture: ${what} never happened`);
}

/** A flow whose child fails for good (attempts 1, no failure option): the parent waits forever. */
export async function parentWithFailedChild(url: string, parentQueue = 'reports', childQueue = 'fetches'): Promise<{ parentKey: string; parentId: string; childKey: string; childId: string }> {
  const connection = connectionOf(url);
  const flow = new FlowProducer({ connection });
  const tree = await flow.add({
    name: 'report', queueName: parentQueue, data: {},
    children: [{ name: 'fetch', queueName: childQueue, data: { fail: true }, opts: { attempts: 1 } }, { name: 'fetch', queueName: childQueue, data: { fail: false } }],
  });
  await flow.close();
  const worker = new Worker(childQueue, async (job) => {
    if (job.data.fail) throw new Error('upstream answered 503');
    return 'ok';
  }, { connection });
  const child = tree.children!.find((c) => c.job.data.fail)!.job;
  const q = new Queue(childQueue, { connection });
  await until('the child fails', async () => (await q.getJobState(child.id!)) === 'failed');
  await worker.close();
  await q.close();
  const pq = new Queue(parentQueue, { connection });
  if ((await pq.getJobState(tree.job.id!)) !== 'waiting-children') throw new Error('bullmq fixture: parent not in waiting-children');
  await pq.close();
  return { parentKey: `bull:${parentQueue}:${tree.job.id}`, parentId: tree.job.id!, childKey: `bull:${childQueue}:${child.id}`, childId: child.id! };
}

/**
 * A flow whose child's job hash is gone, as an eviction (allkeys-*) or a cleanup script leaves
 * it: BullMQ's own removal APIs (remove, clean, obliterate) also update the parent, so the hash is
 * DELeted here by hand. The parent's dependency then names a job that no longer exists.
 */
export async function parentWithMissingChild(url: string, parentQueue = 'digests', childQueue = 'parts'): Promise<{ parentKey: string; childKey: string }> {
  const connection = connectionOf(url);
  const flow = new FlowProducer({ connection });
  const tree = await flow.add({ name: 'digest', queueName: parentQueue, data: {}, children: [{ name: 'part', queueName: childQueue, data: {}, opts: { delay: 3_600_000 } }] });
  await flow.close();
  const childKey = `bull:${childQueue}:${tree.children![0].job.id}`;
  const r = new Redis(url);
  try {
    if ((await r.del(childKey)) !== 1) throw new Error('bullmq fixture: no child hash to lose');
    if ((await r.sismember(`bull:${parentQueue}:${tree.job.id}:dependencies`, childKey)) !== 1) throw new Error('bullmq fixture: dependency not kept');
  } finally {
    r.disconnect();
  }
  return { parentKey: `bull:${parentQueue}:${tree.job.id}`, childKey };
}

/** A worker takes a job (manual processing, lockDuration 200 ms), then dies without finishing it: the lock expires. */
export async function stalledActiveJob(url: string, queue = 'renders'): Promise<{ jobKey: string }> {
  const connection = connectionOf(url);
  const q = new Queue(queue, { connection });
  const job = await q.add('render', {});
  const worker = new Worker(queue, null, { connection, lockDuration: 200 });
  const taken = await worker.getNextJob('token-of-a-dying-worker');
  if (taken?.id !== job.id) throw new Error('bullmq fixture: the worker did not take the job');
  await worker.close();
  const check = new Redis(url);
  try {
    await until('the lock expires', async () => (await check.exists(`bull:${queue}:${job.id}:lock`)) === 0);
  } finally {
    check.disconnect();
  }
  if ((await q.getJobState(job.id!)) !== 'active') throw new Error('bullmq fixture: job not active');
  await q.close();
  return { jobKey: `bull:${queue}:${job.id}` };
}

/** Jobs added to a queue no worker serves. */
export async function waitingWithoutWorker(url: string, queue = 'emails', count = 3): Promise<{ jobKeys: string[] }> {
  const q = new Queue(queue, { connection: connectionOf(url) });
  const jobs = await q.addBulk(Array.from({ length: count }, (_, i) => ({ name: 'send', data: { i } })));
  await q.close();
  return { jobKeys: jobs.map((j) => `bull:${queue}:${j.id}`) };
}

/** A delayed job (20 ms) in a queue no worker serves: nobody promotes it. */
export async function overdueDelayed(url: string, queue = 'reminders'): Promise<{ jobKey: string }> {
  const q = new Queue(queue, { connection: connectionOf(url) });
  const job = await q.add('remind', {}, { delay: 20 });
  await q.close();
  return { jobKey: `bull:${queue}:${job.id}` };
}

/**
 * A job scheduler (every hour) whose next job is gone. BullMQ's own removal APIs refuse to remove
 * a scheduler's job; what loses it is a cleanup script or an eviction: DEL of the job hash and
 * ZREM from delayed, done here by hand the way such a script does.
 */
export async function schedulerWithoutNext(url: string, queue = 'nightly'): Promise<{ schedulerKey: string; nextJobKey: string }> {
  const q = new Queue(queue, { connection: connectionOf(url) });
  await q.upsertJobScheduler('cleanup', { every: 3_600_000 }, { name: 'cleanup', data: {} });
  await q.close();
  const r = new Redis(url);
  try {
    const [id, next] = await r.zrange(`bull:${queue}:repeat`, 0, 0, 'WITHSCORES');
    const jobId = `repeat:${id}:${next}`;
    if ((await r.exists(`bull:${queue}:${jobId}`)) !== 1) throw new Error('bullmq fixture: no next job to lose');
    await r.del(`bull:${queue}:${jobId}`);
    await r.zrem(`bull:${queue}:delayed`, jobId);
    await r.lrem(`bull:${queue}:wait`, 0, jobId);
    return { schedulerKey: `bull:${queue}:repeat:${id}`, nextJobKey: `bull:${queue}:${jobId}` };
  } finally {
    r.disconnect();
  }
}

/**
 * A healthy BullMQ keyspace: a worker that stays running (close it after the audit) completes
 * jobs and a flow, a child that fails with ignoreDependencyOnFailure lets its parent finish, a
 * job fails for good on its own (no parent), a delayed job is due in an hour, a scheduler has its next job.
 */
export async function healthyBullmq(url: string, queue = 'healthy'): Promise<{ worker: Worker; queue: Queue }> {
  const connection = connectionOf(url);
  const worker = new Worker(queue, async (job) => {
    if (job.data.fail) throw new Error('expected failure');
    return 'done';
  }, { connection });
  const q = new Queue(queue, { connection });
  await q.addBulk(Array.from({ length: 5 }, (_, i) => ({ name: 'work', data: { i } })));
  await q.add('lonely-failure', { fail: true }, { attempts: 1 });
  await q.add('later', {}, { delay: 3_600_000 });
  await q.upsertJobScheduler('hourly', { every: 3_600_000 }, { name: 'hourly', data: {} });
  const flow = new FlowProducer({ connection });
  const tree = await flow.add({
    name: 'parent', queueName: queue, data: {},
    children: [{ name: 'kid', queueName: queue, data: {} }, { name: 'kid', queueName: queue, data: { fail: true }, opts: { attempts: 1, ignoreDependencyOnFailure: true } }],
  });
  await flow.close();
  await until('the flow completes', async () => (await Job.fromId(q, tree.job.id!))?.finishedOn !== undefined);
  await until('the queue drains', async () => (await q.getWaitingCount()) + (await q.getActiveCount()) === 0);
  return { worker, queue: q };
}
