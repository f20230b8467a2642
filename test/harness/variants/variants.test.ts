/**
 * Variants: the core with one step replaced. Every file in fixtures/variants loads and declares
 * its bug; a variant from outside the project loads as plain .mjs; a variant's worker process
 * is the core's worker process with --steps, killed like any other; and the selftest smoke
 * catches two variants with no false alarm. Each diagnose starts its own embedded Redis.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../harness/runner/diagnose.js';
import { assertTransport, knownVariants, loadVariant } from '../../../harness/runner/variant.js';
import type { DiagnoseResults } from '../../../harness/results/types.js';
import { selftest } from '../../../harness/selftest/run-selftest.js';
import { variantEnv } from '../../../harness/runner/workers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function checker(r: DiagnoseResults, name: string) {
  const c = r.checkers.find((x) => x.name === name);
  if (!c) throw new Error(`no checker ${name}`);
  return c;
}

describe('the variant catalog', () => {
  it('holds at least 15 variants covering lost, duplicated, early, late and fake work on both transports', async () => {
    const names = knownVariants();
    expect(names.length).toBeGreaterThanOrEqual(15);
    const variants = await Promise.all(names.map((n) => loadVariant(n)));
    expect(new Set(variants.map((v) => v.bug))).toEqual(new Set(['lost', 'duplicated', 'early', 'late', 'fake']));
    expect(variants.filter((v) => v.transports.includes('streams')).length).toBeGreaterThanOrEqual(10);
    expect(variants.filter((v) => v.transports.includes('lists')).length).toBeGreaterThanOrEqual(10);
    // issue 9's delivery defects, reintroduced one step at a time
    expect(names).toEqual(expect.arrayContaining(['lease-never-renewed', 'stop-drops-lease', 'trims-pending', 'runs-ended-tasks']));
    for (const v of variants) expect(v.worker ?? v.orchestrator).toBeTypeOf('function');
  });

  it('an unknown variant, a bad declaration or a name that is not its file is a ConfigError saying what to fix', async () => {
    await expect(loadVariant('no-such-variant')).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/unknown variant "no-such-variant" .*known variants: .*no-fan-in/) });
    const dir = mkdtempSync(join(tmpdir(), 'fanin-variants-'));
    writeFileSync(join(dir, 'half-done.mjs'), `export const variant = { name: 'half-done', description: 'x', bug: 'lost', transports: ['streams'], scenarios: ['happy-path'] };\n`);
    await expect(loadVariant('half-done', dir)).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/replaces at least one worker or orchestrator step/) });
    writeFileSync(join(dir, 'misnamed.mjs'), `export const variant = { name: 'other', description: 'x', bug: 'lost', transports: ['streams'], scenarios: ['happy-path'], worker: () => ({}) };\n`);
    await expect(loadVariant('misnamed', dir)).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/name it after its file/) });
    await expect(loadVariant('x', join(dir, 'missing'))).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/variant directory .* does not exist/) });
  });

  it('a variant of one transport refuses the other with a ConfigError naming the right one', async () => {
    const v = await loadVariant('brpop-no-processing-list');
    expect(() => assertTransport(v, 'streams')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringMatching(/--transport lists/) }));
    await expect(diagnose({ transport: 'streams', variant: 'brpop-no-processing-list', runs: 1, runTimeoutMs: 1000 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});

describe('variants from outside the project', () => {
  it('a plain .mjs variant in a --variant-dir runs (its complete step never counts): the harness fails it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanin-variants-'));
    const index = JSON.stringify(join(ROOT, 'src/index.ts'));
    writeFileSync(join(dir, 'forgets-fan-in.mjs'), [
      `import { runScript, CONSUMER_GROUP } from ${index};`,
      'export const variant = {',
      "  name: 'forgets-fan-in', description: 'acknowledges without counting', bug: 'late', transports: ['streams', 'lists'], scenarios: ['happy-path'], stages: ['widestFanOut'],",
      '  worker: () => ({ async complete(ctx, c) {',
      '    const { keys, transport, redis } = ctx.runtime;',
      "    await runScript(redis, 'ack-delivery', [transport.ackKey(keys, c.shard, ctx.stage, ctx.workerId), keys.queueIndex(c.shard, ctx.stage)], [transport.luaMode, CONSUMER_GROUP, c.delivery.ackId]);",
      "    const [s, us] = await redis.time(); return ['recorded', '0', String(s), String(us)];",
      '  } }),',
      '};',
    ].join('\n'));
    const { results } = await diagnose({ variant: 'forgets-fan-in', variantDir: dir, runs: 2, runTimeoutMs: 3000 });
    expect(results.config).toMatchObject({ variant: 'forgets-fan-in' });
    expect(results.verdict.passed).toBe(false);
    expect(checker(results, 'completion').evidence.some((e) => /timed out in stage analyse_batch/.test(e.message))).toBe(true);
  }, 60_000);
});

describe('a variant worker process is the core worker with --steps', () => {
  it('names its variant by absolute paths (the process runs in fanin\'s root, not the user\'s directory); a name stays a name', () => {
    expect(variantEnv('my/variants/x.mjs', 'my/variants')).toEqual({ FANIN_VARIANT: join(process.cwd(), 'my/variants/x.mjs'), FANIN_VARIANT_DIR: join(process.cwd(), 'my/variants') });
    expect(variantEnv('ack-on-claim')).toEqual({ FANIN_VARIANT: 'ack-on-claim' });
  });

  it('brpop-no-processing-list under worker-kill (lists): the SIGKILLed process takes its tasks with it', async () => {
    const { results, history } = await diagnose({ scenario: 'worker-kill', transport: 'lists', variant: 'brpop-no-processing-list', runs: 6, runTimeoutMs: 4000 });
    expect(results.config).toMatchObject({ variant: 'brpop-no-processing-list', workerMode: 'process', transport: 'lists' });
    expect(results.verdict.passed).toBe(false);
    const analyse = history.filter((e) => e.component === 'worker' && e.stage === 'analyse_batch');
    expect(analyse.length).toBeGreaterThan(0);
    expect(analyse.every((e) => e.pid !== process.pid)).toBe(true);
    expect(history.some((e) => e.type === 'nemesis' && /SIGKILL worker analyse_batch#/.test(e.cause ?? ''))).toBe(true);
    expect(results.metrics.lost).toBeGreaterThan(0);
    expect(checker(results, 'lost-tasks').evidence.some((e) => /^task \S+\/1\/\d+ of experiment \S+ \(analyse_batch\) lost: /.test(e.message))).toBe(true);
  }, 90_000);
});

describe('selftest smoke', () => {
  it('two variants on streams: both caught, the clean core raises no false alarm', async () => {
    const r = await selftest({ runs: 2, transports: ['streams'], variants: ['no-fan-in', 'drops-retries'], reportDir: mkdtempSync(join(tmpdir(), 'fanin-selftest-')) });
    expect(r.cells.map((c) => [c.variant, c.scenario, c.transport, c.caught])).toEqual([
      ['no-fan-in', 'happy-path', 'streams', true],
      ['drops-retries', 'slow-agent', 'streams', true],
    ]);
    expect(r.cells.every((c) => c.checker && c.evidence)).toBe(true);
    expect(r).toMatchObject({ score: 1, falseAlarms: [], passed: true });
  }, 120_000);
});
