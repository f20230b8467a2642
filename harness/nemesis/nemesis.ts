/**
 * Runs a scenario's fault schedule: checks every fault and its parameters up front, arms its
 * triggers (a time, the nth matching lifecycle event, or seeded random times), records every
 * injection in the history as a `nemesis` info event carrying a structured record (which
 * fault of the schedule, whether it succeeded, when, and what it did to which process or
 * queue), and undoes lasting effects at the end.
 */
import { ConfigError, now } from '../../src/index.js';
import type { NemesisRecord } from '../history/types.js';
import { parseFaultParams } from './fault-params.js';
import { FAULTS } from './faults/index.js';
import type { Fault, FaultSpec, NemesisTargets } from './types.js';

/** How many injections a fault spec schedules (a random trigger fires `count` times). */
export function scheduledFires(spec: Pick<FaultSpec, 'trigger'>): number {
  return 'random' in spec.trigger ? spec.trigger.random.count : 1;
}

export function resolveFault(name: string): Fault {
  const f = FAULTS[name];
  if (!f) throw new ConfigError(`unknown fault "${name}"; known faults: ${Object.keys(FAULTS).join(', ')}`, { fault: name });
  return f;
}

export class Nemesis {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  private readonly running = new Set<Promise<void>>();
  private targets?: NemesisTargets;
  private stopped = false;
  /** what was injected, in order */
  readonly injected: { fault: string; at: number; what: string }[] = [];
  /** injections that failed, or whose own check failed (the run did not test what the scenario says) */
  readonly failed: { fault: string; at: number; error: string; code?: string }[] = [];

  private readonly specs: readonly FaultSpec[];

  constructor(specs: readonly FaultSpec[]) {
    this.specs = specs.map((s) => ({ ...s, params: parseFaultParams(resolveFault(s.fault), s.params) }));
  }

  /** Throws a ConfigError naming every fault these targets cannot support. */
  check(t: NemesisTargets): void {
    const problems = this.specs
      .map((s) => [s.fault, resolveFault(s.fault).unsupported(t, s.params)] as const)
      .filter(([, why]) => why !== null)
      .map(([name, why]) => `${name}: ${why}`);
    if (problems.length) throw new ConfigError(`this setup cannot inject: ${problems.join('; ')}`, { problems });
  }

  start(t: NemesisTargets): void {
    this.check(t);
    this.targets = t;
    const t0 = Date.now();
    this.specs.forEach((spec, index) => {
      const fault = resolveFault(spec.fault);
      const fire = () => this.fire(fault, spec, index, t0);
      const tr = spec.trigger;
      if ('atMs' in tr) this.timers.push(setTimeout(fire, tr.atMs));
      else if ('random' in tr) {
        for (let i = 0; i < tr.random.count; i++) this.timers.push(setTimeout(fire, Math.floor(t.random() * tr.random.withinMs)));
      } else {
        let seen = 0;
        const want = tr.on.nth ?? 1;
        const run = tr.on.experiment;
        const off = t.history.onEvent((e) => {
          if (e.type !== tr.on.type || (tr.on.stage && e.stage !== tr.on.stage)) return;
          // experiment ids end with -<run number> (see runWorkload)
          if (run !== undefined && !(e.experimentId ?? '').endsWith(`-${run}`)) return;
          seen += 1;
          if (seen === want) {
            off();
            // after the event's own handling, not inside the emitter
            setImmediate(fire);
          }
        });
        this.unsubscribe.push(off);
      }
    });
  }

  private fire(fault: Fault, spec: FaultSpec, index: number, t0: number): void {
    if (this.stopped || !this.targets) return;
    const t = this.targets;
    const startedAt = now();
    const record = { fault: fault.name, spec: index, startedAt };
    const p = Promise.resolve()
      .then(() => fault.invoke(t, spec.params))
      .then((report) => {
        const { what, effects } = typeof report === 'string' ? { what: report, effects: undefined } : report;
        this.injected.push({ fault: fault.name, at: Date.now() - t0, what });
        const fault_: NemesisRecord = { ...record, ok: true, endedAt: now(), ...(effects ? { effects } : {}) };
        t.history.harness('nemesis', { cause: `${fault.name}: ${what}`, fault: fault_ });
      })
      .catch((err: unknown) => {
        const error = err instanceof Error ? err.message : String(err);
        const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined;
        this.failed.push({ fault: fault.name, at: Date.now() - t0, error, code });
        const fault_: NemesisRecord = { ...record, ok: false, endedAt: now(), error, ...(code ? { code } : {}) };
        t.history.harness('nemesis', { cause: `${fault.name} failed: ${error}`, fault: fault_ });
      });
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  /** Disarms the triggers, waits for injections in progress, undoes lasting effects. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const tm of this.timers) clearTimeout(tm);
    for (const off of this.unsubscribe) off();
    await Promise.allSettled([...this.running]);
    if (!this.targets) return;
    for (const name of new Set(this.specs.map((s) => s.fault))) await resolveFault(name).teardown?.(this.targets).catch(() => undefined);
  }
}
