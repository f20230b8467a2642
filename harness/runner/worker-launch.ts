/**
 * When the workers of a run start: at once (the default), or late — only once every run in
 * flight has been submitted (`setup.workersStartAfterSubmit`), and/or some stages a given time
 * after that (`setup.workerStartDelayMs`), so a backlog builds up in the queues before anyone
 * consumes it. The run's WorkerSet is one object from the start (faults hold it); the stages'
 * workers join it as they start.
 */
import { startWorkers, type ProcessWorker, type StageWorker, type WorkerSet, type WorkerSetOptions } from './workers.js';

export interface LaunchPlan {
  /** start only once this many runs have been submitted (0: at once) */
  afterSubmits: number;
  /** per stage: start this long after the launch point */
  delayMs: Record<string, number>;
}

export interface WorkerLauncher {
  /** the run's workers (filled in as stages start) */
  readonly set: WorkerSet;
  /**
   * Called after each submit with the number submitted so far; resolves once the workers have
   * started (at once when no late start is planned). Rejects when a stage failed to start.
   */
  submitted(count: number): Promise<void>;
  /**
   * Starts the workers now unless the plan waits for submits; resolves once the stages without
   * a start delay are up (delayed stages join later), at once when the plan waits for submits.
   */
  launchNow(): Promise<void>;
}

/** Groups the stages by start delay, in ascending order (stages keep their pipeline order). */
function groupsByDelay(stages: readonly string[], delayMs: Record<string, number>): { delay: number; stages: string[] }[] {
  const groups = new Map<number, string[]>();
  for (const s of stages) {
    const d = Math.max(0, delayMs[s] ?? 0);
    groups.set(d, [...(groups.get(d) ?? []), s]);
  }
  return [...groups].sort((a, b) => a[0] - b[0]).map(([delay, list]) => ({ delay, stages: list }));
}

export function workerLauncher(o: WorkerSetOptions, plan: LaunchPlan, onStarted: (set: WorkerSet) => void): WorkerLauncher {
  const inline: StageWorker[] = [];
  const processes: ProcessWorker[] = [];
  const started: WorkerSet[] = [];
  let launching: Promise<void> | undefined;
  let undelayed: Promise<void> = Promise.resolve();
  let stopped = false;
  let release: () => void = () => {};
  const launchPoint = new Promise<void>((resolve) => (release = resolve));

  const set: WorkerSet = {
    inline,
    processes,
    async stop() {
      stopped = true;
      release();
      await launching?.catch(() => undefined);
      await Promise.all(started.map((s) => s.stop()));
    },
  };

  const startGroup = async (g: { delay: number; stages: string[] }): Promise<void> => {
    if (g.delay > 0) await new Promise((r) => setTimeout(r, g.delay));
    if (stopped) return;
    const s = await startWorkers({ ...o, stages: g.stages });
    started.push(s);
    inline.push(...s.inline);
    processes.push(...s.processes);
  };

  /** Starts every group once the launch point is reached; resolves when all have started. */
  const launch = (): Promise<void> => {
    if (!launching) {
      const groups = launchPoint.then(() => groupsByDelay(o.stages, plan.delayMs).map((g) => ({ delay: g.delay, started: startGroup(g) })));
      undelayed = groups.then((gs) => gs.find((g) => g.delay === 0)?.started);
      undelayed.catch(() => undefined); // reported through `launching`
      launching = groups.then((gs) => Promise.all(gs.map((g) => g.started))).then(() => {
        if (!stopped) onStarted(set);
      });
    }
    return launching;
  };

  return {
    set,
    submitted(count) {
      if (count >= plan.afterSubmits) release();
      return launch();
    },
    launchNow() {
      if (plan.afterSubmits > 0) return Promise.resolve();
      release();
      void launch().catch(() => undefined); // the waits (submitted) report a failed start
      return undelayed;
    },
  };
}
