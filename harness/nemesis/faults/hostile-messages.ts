import { z } from 'zod';
import { messageIdentity as identity } from '../../history/message-identity.js';
import { FaultError } from '../fault-error.js';
import { durationMs, stageRef } from '../fault-params.js';
import type { Fault, NemesisTargets } from '../types.js';
import { hostilePlan, type HostileMessage, type HostilePlan } from './hostile-plan.js';
import { fingerprint, watchKeys, type KeyTouch } from './key-watch.js';
import { numberParam, stageParam } from './process-faults.js';

/** Keys each run's hostile-messages planted, removed at teardown. */
const plantedKeys = new WeakMap<NemesisTargets, string[]>();

/** One injected message: its queue text (as the dead letter records it) and its delivery id. */
interface Injected {
  msg: HostileMessage;
  raw: string;
  ackId: string;
}

async function inject(t: NemesisTargets, queue: string, messages: readonly HostileMessage[]): Promise<Injected[]> {
  const out: Injected[] = [];
  for (const msg of messages) {
    if (t.transport === 'streams') {
      const id = await t.admin.xadd(queue, '*', ...msg.fields);
      out.push({ msg, raw: JSON.stringify(msg.fields), ackId: id! });
    } else {
      await t.admin.lpush(queue, msg.item);
      out.push({ msg, raw: msg.item, ackId: msg.item });
    }
  }
  return out;
}

/** The records of the shard's dead letter (stream or list), as field maps. */
async function deadLetterRecords(t: NemesisTargets): Promise<Record<string, string>[]> {
  const key = t.keys.deadLetter(0);
  const type = await t.admin.type(key);
  if (type === 'stream') {
    return (await t.admin.xrange(key, '-', '+', 'COUNT', 100_000)).map(([, f]) => Object.fromEntries(f.flatMap((v, i) => (i % 2 ? [] : [[v, f[i + 1]]]))));
  }
  if (type !== 'list') return [];
  return (await t.admin.lrange(key, 0, -1)).map((raw) => {
    try {
      return JSON.parse(raw) as Record<string, string>;
    } catch {
      return { raw };
    }
  });
}

/** Resolves when every delivery id was dead-lettered (by the workers' events), or after `ms`. */
function deadLetteredEvents(t: NemesisTargets): { seen: Set<string>; until(ids: string[], ms: number): Promise<void>; off(): void } {
  const seen = new Set<string>();
  let wake = () => {};
  const off = t.history.onEvent((e) => {
    if (e.type === 'dead-lettered' && e.messageId) {
      seen.add(identity(e.messageId));
      wake();
    }
  });
  const until = (ids: string[], ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      if (ids.every((id) => seen.has(identity(id)))) {
        clearTimeout(timer);
        resolve();
      }
    };
    wake();
  });
  return { seen, until, off };
}

interface Findings {
  problems: string[];
  reasons: string[];
}

/** Judges the dead letter: each injected message recorded with a reason; no secret in any record. */
function judgeDeadLetter(injected: readonly Injected[], records: readonly Record<string, string>[], secret: string, f: Findings): void {
  for (const i of injected) {
    const rec = records.find((r) => r.message !== undefined && identity(r.message) === identity(i.raw));
    if (!rec) f.problems.push(`${i.msg.what}: not in the dead letter`);
    else if (!rec.reason) f.problems.push(`${i.msg.what}: dead-lettered without a reason`);
    else f.reasons.push(`${i.msg.what} → ${rec.reason.slice(0, 120)}`);
  }
  if (records.some((r) => Object.values(r).some((v) => String(v).includes(secret)))) f.problems.push('a dead-letter record contains the planted secret value');
}

async function judgeForeignKeys(t: NemesisTargets, before: Map<string, string>, touches: readonly KeyTouch[], f: Findings): Promise<void> {
  for (const x of touches) f.problems.push(`foreign key ${x.key} touched by ${x.source}: ${x.command}`);
  for (const [key, fp] of before) if ((await fingerprint(t.admin, key)) !== fp) f.problems.push(`foreign key ${key} was modified`);
}

async function judgeRealExperiment(t: NemesisTargets, plan: HostilePlan, f: Findings): Promise<string> {
  if (!plan.realExperiment) return 'no running experiment to name';
  const status = await t.admin.hget(t.keys.experiment(plan.realExperiment), 'status');
  if (status === 'failed') f.problems.push(`real experiment ${plan.realExperiment}, named by a hostile message, failed`);
  return `real experiment ${plan.realExperiment} named by a message: ${status ?? 'ended and expired'}`;
}

/**
 * Hostile producers: messages in the core's own layout are pushed into a stage queue naming
 * keys outside the run's prefix (a foreign application's secret string and hash), keys under
 * the prefix of the wrong type (a hash at a made-up experiment's task key, a string at one's
 * experiment key), unknown experiments (without and with planted task data), a running
 * experiment with a foreign key, and garbage. Each must end in the dead letter with a reason;
 * no foreign key may be named by any command (MONITOR) or changed, and the named real
 * experiment must not fail. The fault checks all of it and fails the verdict otherwise.
 */
export const hostileMessages: Fault = {
  name: 'hostile-messages',
  description: 'inject garbage and messages naming foreign keys, wrong-type keys and unknown experiments into a stage queue; each must be dead-lettered with a reason, foreign keys untouched',
  params: z.object({ stage: stageRef('widestFanOut'), withinMs: durationMs(15_000) }).strict(),
  unsupported: (t) => (t.redis.owned ? null : 'plants keys outside the run prefix: only on a Redis the harness started'),
  async invoke(t, p) {
    const stage = stageParam(p);
    const queue = t.keys.queue(0, stage);
    const plan = hostilePlan(t, stage);
    plantedKeys.set(t, [...(plantedKeys.get(t) ?? []), ...plan.planted.map((k) => k.key)]);
    for (const k of plan.planted) await k.write(t.admin);
    const foreign = plan.planted.filter((k) => k.foreign).map((k) => k.key);
    const before = new Map<string, string>();
    for (const k of foreign) before.set(k, await fingerprint(t.admin, k));
    const watch = await watchKeys(t.admin, foreign);
    const events = deadLetteredEvents(t);
    let touches: KeyTouch[] = [];
    let injected: Injected[] = [];
    try {
      injected = await inject(t, queue, plan.messages);
      await events.until(injected.map((i) => i.ackId), numberParam(p, 'withinMs', 15_000));
    } finally {
      events.off();
      touches = await watch.stop();
    }
    const f: Findings = { problems: [], reasons: [] };
    judgeDeadLetter(injected, await deadLetterRecords(t), plan.secret, f);
    await judgeForeignKeys(t, before, touches, f);
    const real = await judgeRealExperiment(t, plan, f);
    const what = `${injected.length} hostile messages into ${queue}`;
    if (f.problems.length > 0) {
      throw new FaultError('FAULT_CHECK_FAILED', `${what}: ${f.problems.join('; ')}`, { problems: f.problems, reasons: f.reasons });
    }
    return {
      what: `${what}, each dead-lettered with a reason (${f.reasons.join('; ')}); foreign keys ${foreign.join(', ')} named by no command and unchanged; ${real}`,
      effects: { injected: injected.map((i) => ({ what: i.msg.what, stage, identity: identity(i.ackId) })) },
    };
  },
  async teardown(t) {
    // planted keys go, so the post-run snapshot judges the core's keys, not the attacker's
    const keys = plantedKeys.get(t) ?? [];
    if (keys.length) await t.admin.del(...keys);
  },
};
