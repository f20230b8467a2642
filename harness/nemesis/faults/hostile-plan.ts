/**
 * What the hostile-messages fault plants and injects: keys outside the run's prefix (a foreign
 * application's secrets), keys under the prefix of the wrong type at the very keys the core
 * derives for made-up experiments, task data of an experiment that does not exist, and
 * messages naming all of these, plus garbage, in the core's own message layout.
 */
import type { Redis } from 'ioredis';
import type { NemesisTargets } from '../types.js';

/** A key the fault writes before injecting. Foreign keys must stay untouched. */
export interface PlantedKey {
  key: string;
  foreign: boolean;
  write(admin: Redis): Promise<unknown>;
}

/** One injected message: what it is, and its queue representation. */
export interface HostileMessage {
  what: string;
  /** streams: the entry's field/value list */
  fields: string[];
  /** lists: the list item */
  item: string;
}

export interface HostilePlan {
  tag: string;
  secret: string;
  planted: PlantedKey[];
  messages: HostileMessage[];
  /** a running experiment of the run that messages name, when one was found */
  realExperiment: string | null;
}

function named(what: string, t: string, k: string, e: string): HostileMessage {
  return { what, fields: ['t', t, 'k', k, 'e', e], item: JSON.stringify({ t, k, e, d: 0 }) };
}

function garbage(what: string, fields: string[], item: string): HostileMessage {
  return { what, fields, item };
}

/** Task data in the core's layout (task-data.ts) for a task of `stage`. */
function taskData(id: string, exp: string, stage: string, si: number): string {
  return JSON.stringify({ id, exp, stage, si, i: 0, w: 1, in: [], miss: [], ex: 1, a: 1, ma: 3, dl: Date.now() + 600_000, p: {}, ns: '', nw: 0 });
}

/** A running experiment of the run that has tasks at `stage` (the last one claimed there), or null. */
export function runningExperiment(t: NemesisTargets, stage: string): string | null {
  const ended = new Set<string>();
  let last: string | null = null;
  for (const e of t.history.snapshot()) {
    if (!e.experimentId) continue;
    if (e.type === 'experiment-completed' || e.type === 'experiment-failed') ended.add(e.experimentId);
    else if (e.type === 'claimed' && e.stage === stage) last = e.experimentId;
  }
  return last && !ended.has(last) ? last : null;
}

export function hostilePlan(t: NemesisTargets, stage: string): HostilePlan {
  const tag = `hostile-${Math.floor(t.random() * 1e9)}`;
  const si = Math.max(0, t.stages.indexOf(stage));
  const secret = `TOP-SECRET-${tag}`;
  const secretKey = `app:secret:${tag}`;
  const configKey = `app:config:${tag}`;
  const tid = (exp: string) => `${exp}/${si}/0`;
  const [wrongTask, wrongExp, noData, noExp] = ['wrongtype-task', 'wrongtype-exp', 'nodata', 'noexp'].map((s) => `${tag}-${s}`);
  const real = runningExperiment(t, stage);
  const planted: PlantedKey[] = [
    { key: secretKey, foreign: true, write: (a) => a.set(secretKey, secret) },
    { key: configKey, foreign: true, write: (a) => a.hset(configKey, 'password', secret, 'user', 'admin') },
    { key: t.keys.task(wrongTask, tid(wrongTask)), foreign: false, write: (a) => a.hset(t.keys.task(wrongTask, tid(wrongTask)), 'planted', 'hash') },
    { key: t.keys.task(wrongExp, tid(wrongExp)), foreign: false, write: (a) => a.set(t.keys.task(wrongExp, tid(wrongExp)), taskData(tid(wrongExp), wrongExp, stage, si), 'PX', 600_000) },
    { key: t.keys.experiment(wrongExp), foreign: false, write: (a) => a.set(t.keys.experiment(wrongExp), 'planted: a string where a hash belongs') },
    { key: t.keys.task(noExp, tid(noExp)), foreign: false, write: (a) => a.set(t.keys.task(noExp, tid(noExp)), taskData(tid(noExp), noExp, stage, si), 'PX', 600_000) },
  ];
  const victim = real ?? `${tag}-victim`;
  const messages: HostileMessage[] = [
    garbage('garbage: not JSON', ['garbage', `{not json ${tag}`], `{not json ${tag}`),
    garbage('garbage: no task fields', ['hello', tag], JSON.stringify({ hello: tag })),
    named(`a foreign string key outside the prefix, naming ${real ? 'a running experiment' : 'an unknown experiment'}`, tid(victim), secretKey, victim),
    named('a foreign hash key outside the prefix', tid(`${tag}-foreign`), configKey, `${tag}-foreign`),
    named('a hash at the task key of a made-up experiment (wrong type under the prefix)', tid(wrongTask), t.keys.task(wrongTask, tid(wrongTask)), wrongTask),
    named('a string at the experiment key of a made-up experiment (wrong type under the prefix)', tid(wrongExp), t.keys.task(wrongExp, tid(wrongExp)), wrongExp),
    named('an unknown experiment without task data', tid(noData), t.keys.task(noData, tid(noData)), noData),
    named('an unknown experiment with planted task data', tid(noExp), t.keys.task(noExp, tid(noExp)), noExp),
  ];
  return { tag, secret, planted, messages, realExperiment: real };
}
