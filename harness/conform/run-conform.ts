/**
 * `fanin conform`: the levels in order, each level's scenarios one after the other, stopping at
 * the first level that fails (unless `all`). The ledger lives on a Redis fanin starts for the
 * whole run and never faults; every scenario gets its own run id (its own ledger stream).
 */
import { Redis } from 'ioredis';
import { EmbeddedRedisProvider } from '../redis/index.js';
import { runScenario, type ScenarioResult } from './run-scenario.js';
import { LEVELS, MAX_LEVEL, type LevelDef, type Scenario } from './scenarios.js';
import type { SutFile } from './sut-file.js';
import { CONTRACT } from './workload.js';

export const CONFORM_SCHEMA = 'fanin-conform/1';

export interface LevelResult {
  level: number;
  name: string;
  passed: boolean;
  scenarios: ScenarioResult[];
  durationMs: number;
}

export interface ConformResults {
  schema: typeof CONFORM_SCHEMA;
  sut: string;
  contract: typeof CONTRACT;
  /** the highest level reached (every level up to it passed), null when L0 is not */
  level: number | null;
  requestedLevel: number;
  levels: LevelResult[];
  durationMs: number;
  createdAt: string;
  interrupted: boolean;
  notes: string[];
}

export interface ConformOptions {
  sut: SutFile;
  runs: number;
  /** the level to reach (default MAX_LEVEL) */
  level: number;
  all: boolean;
  /** run only these scenarios (by name); levels with none of them are skipped */
  only: string[] | null;
  /** one scenario per level (the first, or the one named in `only`) */
  quick: boolean;
  logDir: string;
  signal?: AbortSignal;
  onScenario?: (r: ScenarioResult) => void;
}

function selected(def: LevelDef, o: ConformOptions): Scenario[] {
  const named = o.only ? def.scenarios.filter((s) => o.only!.includes(s.name)) : def.scenarios;
  return o.quick ? named.slice(0, 1) : named;
}

/** Every level up to the highest consecutive passed one. Skipped levels (no scenario selected) neither break nor extend the chain. */
export function levelReached(levels: readonly LevelResult[]): number | null {
  let reached: number | null = null;
  for (const l of [...levels].sort((a, b) => a.level - b.level)) {
    if (!l.passed) break;
    reached = l.level;
  }
  return reached;
}

function ceilingNotes(o: ConformOptions): { top: number; notes: string[] } {
  const notes: string[] = [];
  let top = Math.min(o.level, MAX_LEVEL);
  if (!o.sut.wait && top > 0) {
    notes.push('the adapter has no "wait" command: completion was observed from the ledger, so the highest level that can be tested is L0 (L1 needs the system to say an experiment failed)');
    top = 0;
  }
  if (o.quick) notes.push('quick mode: one scenario per level');
  if (o.only) notes.push(`only the scenarios ${o.only.join(', ')} ran: the level reached rests on them alone`);
  return { top, notes };
}

export async function runConform(o: ConformOptions): Promise<ConformResults> {
  const t0 = performance.now();
  const createdAt = new Date().toISOString();
  const { top, notes } = ceilingNotes(o);
  const ledgerServer = await new EmbeddedRedisProvider('none').start();
  const ledger = new Redis(ledgerServer.url, { maxRetriesPerRequest: 3 });
  const levels: LevelResult[] = [];
  try {
    for (const def of LEVELS.filter((l) => l.level <= top)) {
      const scenarios = selected(def, o);
      if (scenarios.length === 0) continue;
      const lt0 = performance.now();
      const results: ScenarioResult[] = [];
      for (const sc of scenarios) {
        if (o.signal?.aborted) break;
        const r = await runScenario(sc, { sut: o.sut, runs: o.runs, ledger, ledgerUrl: ledgerServer.url, logDir: o.logDir, signal: o.signal });
        results.push(r);
        o.onScenario?.(r);
      }
      const passed = results.length === scenarios.length && results.every((r) => r.passed);
      levels.push({ level: def.level, name: def.name, passed, scenarios: results, durationMs: Math.round(performance.now() - lt0) });
      if (o.signal?.aborted) break;
      if (!passed && !o.all) {
        if (def.level < top) notes.push(`L${def.level} failed: L${def.level + 1}..L${top} not run (--all runs them anyway)`);
        break;
      }
    }
  } finally {
    ledger.disconnect();
    await ledgerServer.stop();
  }
  return {
    schema: CONFORM_SCHEMA, sut: o.sut.name, contract: CONTRACT, level: levelReached(levels), requestedLevel: o.level, levels,
    durationMs: Math.round(performance.now() - t0), createdAt, interrupted: o.signal?.aborted ?? false, notes,
  };
}
