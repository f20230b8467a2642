/**
 * The judge: fanin packed (`npm pack`, built by prepack) and installed into fresh projects
 * outside the repository, used as a user would.
 * - Project "user" (fanin + tsx + typescript): its own TypeScript pipeline (a 6-way dynamic
 *   fan-out, a fan-in, a final stage, an independent golden reference) and a script using
 *   `fanin/harness` type-check; the pipeline passes
 *   10 runs and the worker-kill scenario; with a bug planted in one handler it fails (exit 1)
 *   with the reference evidence naming the buggy stage; `fanin init` in an empty folder then
 *   `diagnose --runs 3` passes, and a second init changes nothing.
 * - Project "bare" (fanin only, no tsx anywhere it can resolve from): plain node runs diagnose
 *   (default pipeline and a .mjs pipeline with worker processes), audit and a real worker; a .ts
 *   pipeline is a MISSING_DEPENDENCY error naming the install command (exit 2).
 * Neither install runs an install script or downloads Redis.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { DiagnoseResults } from '../../harness/results/types.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { freshProject, packagesWithInstallScripts, packFanin, run, userEnv, type Ran } from './installed-project.js';
import { DOUBLES_MJS, TALLY_BUG_TS, TALLY_TS, TSCONFIG, USE_HARNESS_TS } from './user-pipelines.js';

const MINUTE = 60_000;
const scratch = mkdtempSync(join(tmpdir(), 'fanin-e2e-pack-'));
let user: string;
let bare: string;
let bareInstall: Ran;

beforeAll(async () => {
  const tarball = await packFanin(scratch);
  [{ dir: user }, { dir: bare, install: bareInstall }] = await Promise.all([
    freshProject('user', [tarball, 'tsx', 'typescript']),
    freshProject('bare', [tarball]),
  ]);
}, 6 * MINUTE);

afterAll(() => {
  for (const d of [scratch, user, bare]) if (d) rmSync(d, { recursive: true, force: true });
});

const npx = (dir: string, args: string[]) => run('npx', args, dir);
const results = (r: Ran) => JSON.parse(r.stdout) as DiagnoseResults;

describe('installing the tarball', () => {
  it('downloads and compiles nothing: no package with an install script, no redis-memory-server, no Redis binary', () => {
    expect(packagesWithInstallScripts(bare)).toEqual([]);
    for (const dir of [user, bare]) {
      expect(existsSync(join(dir, 'node_modules/redis-memory-server'))).toBe(false);
      expect(existsSync(join(dir, 'node_modules/.cache/redis-memory-server'))).toBe(false);
    }
    expect(existsSync(join(bare, 'node_modules/tsx'))).toBe(false);
    expect(bareInstall.stderr).not.toMatch(/install-scripts|postinstall/);
    const pkg = JSON.parse(readFileSync(join(bare, 'node_modules/fanin/package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts?: Record<string, string> };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['chalk', 'hdr-histogram-js', 'ioredis', 'yargs', 'zod']);
    // what ships: the build, no sources or tests
    expect(existsSync(join(bare, 'node_modules/fanin/dist/harness/cli.js'))).toBe(true);
    expect(existsSync(join(bare, 'node_modules/fanin/dist/src/lua/includes'))).toBe(true);
    expect(existsSync(join(bare, 'node_modules/fanin/src'))).toBe(false);
    expect(existsSync(join(bare, 'node_modules/fanin/test'))).toBe(false);
  });
});

describe('a user project with fanin, tsx and typescript', () => {
  it('its own pipeline type-checks, passes 10 runs and the worker-kill scenario', async () => {
    writeFileSync(join(user, 'pipeline.ts'), TALLY_TS);
    writeFileSync(join(user, 'pipeline-bug.ts'), TALLY_BUG_TS);
    writeFileSync(join(user, 'use-harness.ts'), USE_HARNESS_TS);
    writeFileSync(join(user, 'tsconfig.json'), TSCONFIG);
    const tsc = await npx(user, ['tsc', '--noEmit', '-p', '.']);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);

    const happy = await npx(user, ['fanin', 'diagnose', '--pipeline', './pipeline.ts', '--runs', '10', '--json']);
    expect(happy.stderr).toBe('');
    expect(happy.code).toBe(0);
    const r = results(happy);
    expect(r.config).toMatchObject({ pipeline: 'tally', pipelineModule: './pipeline.ts' });
    expect(r.runs.filter((x) => x.status === 'completed')).toHaveLength(10);
    expect(r.checkers.find((c) => c.name === 'reference')!.summary).toBe('10 completed experiments reproduce the golden reference');

    const kill = await npx(user, ['fanin', 'diagnose', '--pipeline', './pipeline.ts', '--scenario', 'worker-kill', '--json']);
    expect(kill.code).toBe(0);
    const k = results(kill);
    expect(k.config).toMatchObject({ scenario: 'worker-kill', workerMode: 'process' });
    // the fault hit a worker process of the dynamic stage (the history the run wrote next to results.json)
    const history = readFileSync(join(user, 'reports/latest/history.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string });
    expect(history.filter((e) => e.type === 'nemesis').some((e) => JSON.stringify(e).includes('measure'))).toBe(true);
    expect(k.runs.filter((x) => x.status === 'completed')).toHaveLength(10);
  }, 4 * MINUTE);

  it('a script programming against fanin/harness runs diagnose', async () => {
    const r = await npx(user, ['tsx', 'use-harness.ts']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('harness api: PASS 2 runs\n');
  }, 2 * MINUTE);

  it('a fallback planted in one handler (a placeholder for every odd index) → exit 1, the reference evidence names the stage and the placeholder', async () => {
    const bug = await npx(user, ['fanin', 'diagnose', '--pipeline', './pipeline-bug.ts', '--runs', '3', '--json']);
    expect(bug.code).toBe(1);
    const ref = results(bug).checkers.find((c) => c.name === 'reference')!;
    expect(ref.valid).toBe(false);
    expect(ref.summary).toBe('3 experiments differ from the reference run');
    expect(ref.evidence).toHaveLength(3);
    for (const e of ref.evidence) {
      // the final stage's output differs from the golden answer; the wrong value is traced to the buggy stage
      expect(e.stage).toBe('measure');
      expect(e.message).toContain('(summary output) differs from the golden reference');
      expect(e.message).toContain('"longest":"placeholder"');
      expect(e.message).toContain('a handler computes it wrongly (not the coordination); "placeholder" first appears in the output of measure tasks 1, 3, 5 (of 6)');
    }
  }, 2 * MINUTE);

  it('fanin init in an empty folder, then diagnose --runs 3 → 0; a second init keeps every file byte for byte', async () => {
    const dir = join(user, 'starter');
    mkdirSync(dir);
    const first = await npx(dir, ['fanin', 'init']);
    expect(first.code).toBe(0);
    const files = ['fanin.pipeline.ts', 'fanin.config.json', '.github/workflows/fanin.yml'];
    for (const f of files) expect(first.stdout).toContain(`wrote ${f}`);
    const before = files.map((f) => readFileSync(join(dir, f)));

    const d = await npx(dir, ['fanin', 'diagnose', '--pipeline', 'fanin.pipeline.ts', '--runs', '3', '--json']);
    expect(d.stderr).toBe('');
    expect(d.code).toBe(0);
    const r = results(d);
    expect(r.config).toMatchObject({ pipeline: 'starter' });
    expect(r.checkers.find((c) => c.name === 'reference')!.summary).toBe('3 completed experiments reproduce the golden reference');

    const second = await npx(dir, ['fanin', 'init']);
    expect(second.code).toBe(0);
    for (const f of files) expect(second.stdout).toContain(`kept ${f}`);
    expect(second.stdout).not.toContain('wrote ');
    expect(files.map((f) => readFileSync(join(dir, f)))).toEqual(before);

    const workflow = parseYaml(readFileSync(join(dir, '.github/workflows/fanin.yml'), 'utf8')) as { on: unknown; jobs: { diagnose: { steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] } } };
    const steps = workflow.jobs.diagnose.steps;
    expect(workflow.on).toHaveProperty('push');
    expect(steps.map((s) => s.uses).filter(Boolean)).toEqual(expect.arrayContaining(['actions/checkout@v4', 'actions/setup-node@v4']));
    expect(steps.find((s) => s.uses === 'actions/setup-node@v4')!.with!['node-version']).toBe(20);
    const runs = steps.map((s) => s.run ?? '');
    expect(runs).toEqual(expect.arrayContaining(['npm ci', 'npx fanin diagnose --pipeline fanin.pipeline.ts']));
    expect(runs.some((x) => x.includes('apt-get install -y redis-server'))).toBe(true);
  }, 2 * MINUTE);
});

describe('a project with fanin only (no tsx): plain node runs the build', () => {
  const bin = () => join(bare, 'node_modules/fanin/bin/fanin.js');
  let redis: TestRedis | undefined;
  afterAll(async () => redis?.stop());

  it('diagnose: the default pipeline, and a .mjs pipeline with worker processes → 0', async () => {
    const builtin = await run(process.execPath, [bin(), 'diagnose', '--runs', '3', '--quiet'], bare);
    expect(builtin.stderr).toBe('');
    expect(builtin.code).toBe(0);
    expect(builtin.stdout).toMatch(/^PASS 3 runs/);

    writeFileSync(join(bare, 'pipeline.mjs'), DOUBLES_MJS);
    const mjs = await run(process.execPath, [bin(), 'diagnose', '--pipeline', './pipeline.mjs', '--runs', '3', '--worker-mode', 'process', '--json'], bare);
    expect(mjs.code).toBe(0);
    const r = results(mjs);
    expect(r.config).toMatchObject({ pipeline: 'doubles', workerMode: 'process' });
    expect(r.checkers.find((c) => c.name === 'reference')!.summary).toBe('3 completed experiments reproduce the golden reference');
  }, 2 * MINUTE);

  it('a .ts pipeline without tsx → exit 2, MISSING_DEPENDENCY naming the install command', async () => {
    writeFileSync(join(bare, 'pipeline.ts'), TALLY_TS);
    const r = await run(process.execPath, [bin(), 'diagnose', '--pipeline', './pipeline.ts', '--runs', '1'], bare);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MISSING_DEPENDENCY');
    expect(r.stderr).toContain('npm install --save-dev tsx');
  }, MINUTE);

  it('worker --help, a real worker on a Redis the test started, and audit of that Redis', async () => {
    const help = await run(process.execPath, [bin(), 'worker', '--help'], bare);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--pipeline');

    redis = await startRedis();
    const worker = spawn(process.execPath, [join(bare, 'node_modules/fanin/dist/src/cli.js'), 'worker', '--pipeline', './pipeline.mjs', '--stage', 'double', '--redis', redis.url, '--prefix', 'e2e'], { cwd: bare, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));
    let stderr = '';
    worker.stderr!.on('data', (d) => (stderr += d));
    const ready = await new Promise<string>((resolve, reject) => {
      createInterface({ input: worker.stdout! }).on('line', (l) => l.startsWith('worker ') && resolve(l));
      void exited.then((code) => reject(new Error(`the worker exited (${code}) before it was ready: ${stderr}`)));
    });
    expect(ready).toMatch(/^worker \S+ consuming double \(streams\)$/);

    const audit = await run(process.execPath, [bin(), 'audit', '--redis', redis.url, '--format', 'console'], bare);
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(0);

    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 2 * MINUTE);
});
