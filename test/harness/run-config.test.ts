/**
 * How a run's configuration is resolved: flags over the config file over the scenario over
 * the defaults. Through the real CLI (the bugs were in the wiring).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiagnoseResults } from '../../harness/results/types.js';
import { pipelineOf, resolveRunConfig, scenarioNameOf, type RunFlags, type ScenarioLayer } from '../../harness/runner/resolve-config.js';
import type { ConfigFile } from '../../harness/gates/config-file.js';
import { fanin } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fanin-run-config-'));
const reports = join(dir, 'reports');

async function results(args: string[]): Promise<DiagnoseResults> {
  const r = await fanin(['diagnose', '--json', '--report-dir', reports, ...args]);
  expect(r.stderr).toBe('');
  // the verdict does not matter here (a 1-run worker-kill may end before its fault fires): no usage or infrastructure error
  expect([0, 1]).toContain(r.code);
  return JSON.parse(r.stdout) as DiagnoseResults;
}

const plain: ScenarioLayer = { workload: { batchSize: 3, corpusCopies: 1 }, setup: {} } as unknown as ScenarioLayer;
const demanding: ScenarioLayer = {
  workload: { batchSize: 3, corpusCopies: 1, runs: 5, concurrency: 2, runTimeoutMs: 30_000 },
  setup: { workerMode: 'process', workersPerStage: 2, latencyModel: 'llm' },
} as unknown as ScenarioLayer;

describe('resolveRunConfig: flags over config file over scenario over defaults', () => {
  const cases: [string, RunFlags, Partial<ConfigFile>, ScenarioLayer, Partial<ReturnType<typeof resolveRunConfig>>][] = [
    ['defaults', {}, {}, plain, { scenario: 'happy-path', runs: 10, concurrency: 10, transport: 'streams', workers: 1, workerMode: 'inline', latencyModel: 'none', seed: 1, runTimeoutMs: 10_000, shards: 1, tolerance: 0.2, thresholds: [] }],
    ['concurrency defaults to min(runs, 16)', { runs: 40 }, {}, plain, { runs: 40, concurrency: 16 }],
    ['the scenario over the defaults', {}, {}, demanding, { runs: 5, concurrency: 2, runTimeoutMs: 30_000, workers: 2, workerMode: 'process', latencyModel: 'llm' }],
    ['the config file over the scenario', {}, { runs: 7, workers: 3, workerMode: 'inline', latencyModel: 'none', runTimeoutMs: 5000, scenario: 'wide-fan-out' }, demanding, { runs: 7, workers: 3, workerMode: 'inline', latencyModel: 'none', runTimeoutMs: 5000, scenario: 'wide-fan-out' }],
    ['flags over the config file', { runs: 2, transport: 'lists', latencyModel: 'none', workers: 1, scenario: 'backlog' }, { runs: 7, transport: 'streams', latencyModel: 'llm', workers: 3, scenario: 'wide-fan-out' }, demanding, { runs: 2, transport: 'lists', latencyModel: 'none', workers: 1, scenario: 'backlog' }],
    ['--latency-model none over the scenario', { latencyModel: 'none' }, {}, demanding, { latencyModel: 'none' }],
    ['--workers 1 over the scenario', { workers: 1 }, {}, demanding, { workers: 1, workerMode: 'process' }],
    ['thresholds: the file then the flags', { thresholds: ['lost==0'] }, { thresholds: ['e2e.p95<2000'] }, plain, { thresholds: ['e2e.p95<2000', 'lost==0'] }],
    ['seed, shards, tolerance', { seed: 9 }, { shards: 4, tolerance: 0.5 }, plain, { seed: 9, shards: 4, tolerance: 0.5 }],
    ['stub agents off by default', {}, {}, plain, { stubAgents: false }],
    ['stub agents from the config file', {}, { stubAgents: true }, plain, { stubAgents: true }],
    ['--no-stub-agents over the config file', { stubAgents: false }, { stubAgents: true }, plain, { stubAgents: false }],
  ];
  it.each(cases)('%s', (_name, flags, file, scenario, expected) => {
    expect(resolveRunConfig(flags, file, scenario)).toMatchObject(expected);
  });

  it('the scenario to load: flag, else config file, else happy-path', () => {
    expect(scenarioNameOf({ scenario: 'a' }, { scenario: 'b' })).toBe('a');
    expect(scenarioNameOf({}, { scenario: 'b' })).toBe('b');
    expect(scenarioNameOf({}, {})).toBe('happy-path');
  });

  it('the pipeline module: flag, else config file, else the built-in pipeline', () => {
    expect(pipelineOf({ pipeline: 'a.ts' }, { pipeline: 'b.ts' })).toBe('a.ts');
    expect(pipelineOf({}, { pipeline: 'b.ts' })).toBe('b.ts');
    expect(pipelineOf({}, {})).toBeUndefined();
  });
});

describe('run configuration through the CLI', () => {
  it("a config file's scenario is used when --scenario is not given", async () => {
    const cfg = join(dir, 'scenario.json');
    writeFileSync(cfg, JSON.stringify({ scenario: 'wide-fan-out', runs: 1 }));
    const r = await results(['--config', cfg]);
    expect(r.config.scenario).toBe('wide-fan-out');
    expect(r.config.runs).toBe(1);
  });

  it("--latency-model none overrides the scenario's model", async () => {
    const r = await results(['--scenario', 'duplicate-delivery', '--latency-model', 'none', '--runs', '1']);
    expect(r.config.latencyModel).toBe('none');
  });

  it('results.config.workers reports the workers per stage that ran (the scenario asks for 2)', async () => {
    const r = await results(['--scenario', 'worker-kill', '--runs', '1', '--latency-model', 'none']);
    expect(r.config.workers).toBe(2);
    expect(r.config.workerMode).toBe('process');
  });

  it('--no-record is accepted', async () => {
    const r = await fanin(['diagnose', '--runs', '1', '--no-record', '--quiet', '--report-dir', reports]);
    expect(r.stderr).not.toContain('Unknown argument');
    expect(r.code).not.toBe(2);
  });
});
