/**
 * fanin's streams core with its workers in separate OS processes: per stage one
 * `fanin worker --processes N` (N = 1: a single worker process; N ≥ 2: a pool of N), the
 * orchestrator in the driver's process. cpuMs() sums the CPU of every worker process (pool
 * parents included), so the benchmark can report Node CPU per experiment over all processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CONSTITUTIONAL_PIPELINE, Orchestrator } from '../../src/index.js';
import type { Design } from '../peers/design.js';
import { processCpuMs } from './process-cpu.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HANDLERS = 'bench/designs/zero-work-handlers-module.ts';

interface Started {
  proc: ChildProcess;
  pids: number[]; // the worker processes (and the pool parent)
}

/** Starts `fanin worker` for one stage; resolves once it (every child of a pool) consumes. */
function startStage(redisUrl: string, prefix: string, stage: string, processes: number, fanOut: number): Promise<Started> {
  const args = ['--import', 'tsx', 'src/cli.ts', 'worker', '--stage', stage, '--prefix', prefix, '--transport', 'streams', '--concurrency', '16', '--handlers', HANDLERS, '--processes', String(processes)];
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, FANIN_REDIS_URL: redisUrl, FANIN_BENCH_FAN_OUT: String(fanOut) }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  createInterface({ input: proc.stderr! }).on('line', (l) => stderr.push(l));
  const ready = processes > 1 ? /^worker pool: \d+ processes \(pids ([\d, ]+)\)$/ : /^worker \S+ consuming/;
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`fanin worker --stage ${stage} exited (${code}) before it consumed: ${stderr.join(' | ')}`)));
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      const m = ready.exec(l);
      if (!m) return;
      const children = m[1] ? m[1].split(', ').map(Number) : [];
      resolve({ proc, pids: [proc.pid!, ...children] });
    });
  });
}

export function faninProcessDesign(processes: number): Design & { cpuMs(): number } {
  let orchestrator: Orchestrator | undefined;
  let stages: Started[] = [];
  return {
    name: `fanin-streams-${processes}p`,
    async start(redisUrl, { fanOut, prefix }) {
      orchestrator = new Orchestrator({ redisUrl, transport: 'streams', prefix, pipeline: CONSTITUTIONAL_PIPELINE });
      await orchestrator.start();
      stages = await Promise.all(CONSTITUTIONAL_PIPELINE.stages.map((s) => startStage(redisUrl, prefix, s.name, processes, fanOut)));
    },
    async runExperiment(id) {
      const o = orchestrator!;
      await o.submit({ id, input: { id } });
      const s = await o.waitFor(id, 60_000);
      if (s.status !== 'completed') throw new Error(`fanin experiment ${id} ${s.status}: ${s.cause}`);
    },
    cpuMs: () => stages.flatMap((s) => s.pids).reduce((sum, pid) => sum + processCpuMs(pid), 0),
    async stop() {
      await Promise.all(stages.map((s) => new Promise<void>((resolve) => {
        if (s.proc.exitCode !== null) return resolve();
        s.proc.once('exit', () => resolve());
        s.proc.kill('SIGTERM');
      })));
      stages = [];
      await orchestrator?.close();
    },
  };
}
