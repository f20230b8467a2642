/**
 * `fanin conform`'s errors and exit codes: 2 for a bad adapter file (each problem named by its
 * JSON path) or flag, 3 when Redis cannot start; without a wait command only L0 runs.
 */
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSutFile } from '../../harness/conform/sut-file.js';
import { conformBadge, conformMarkdown } from '../../harness/conform/conform-report.js';
import { conformHtml } from '../../harness/conform/conform-html.js';
import { levelReached } from '../../harness/conform/run-conform.js';
import { fanin, ROOT } from '../harness/cli-helpers.js';
import { exampleFiles } from './docs-example-files.js';

const dir = mkdtempSync(join(tmpdir(), 'fanin-conform-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = {
  contract: 'fanin-conformance/1', name: 'sys', keyPrefix: 'sys',
  processes: [{ name: 'w', role: 'worker', command: ['python3', 'w.py'] }],
  submit: { command: ['python3', 'c.py', 'submit'] }, wait: { command: ['python3', 'c.py', 'wait'] },
};

function adapter(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('the adapter file', () => {
  it('is parsed with defaults and resolved against its folder', () => {
    const sut = parseSutFile(good, join(dir, 'fanin.sut.json'));
    expect(sut).toMatchObject({ dir, experimentTimeoutMs: 20000, processes: [{ replicas: 1 }] });
  });

  it('names every bad field by its path', () => {
    const bad = { ...good, contract: 'fanin-conformance/2', extra: 1, processes: [{ name: 'w', role: 'boss', command: [], replicas: 0 }], submit: { command: ['x'], env: { FANIN_REDIS_URL: 'x' } } };
    expect(() => parseSutFile(bad, 'fanin.sut.json')).toThrow(/contract: this fanin implements "fanin-conformance\/1"/);
    try {
      parseSutFile(bad, 'fanin.sut.json');
    } catch (err) {
      const msg = (err as Error).message;
      for (const path of ['(top level): Unrecognized key', 'processes.0.role', 'processes.0.command', 'processes.0.replicas', 'submit.env']) expect(msg).toContain(path);
      expect((err as { code: string }).code).toBe('INVALID_CONFIG');
    }
  });
});

describe('fanin conform exit codes', () => {
  it('exits 2 for an adapter file that is missing, not JSON or invalid', async () => {
    const missing = await fanin(['conform', '--sut', join(dir, 'nope.json'), '--report-dir', join(dir, 'r')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the adapter file \(ENOENT\)/);
    const notJson = await fanin(['conform', '--sut', adapter('a.json', '{'), '--report-dir', join(dir, 'r')]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/is not JSON/);
    const invalid = await fanin(['conform', '--sut', adapter('b.json', { ...good, keyPrefix: 'a b' }), '--report-dir', join(dir, 'r')]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/keyPrefix: no spaces or glob characters/);
  }, 60_000);

  it('exits 2 for a bad flag, naming it', async () => {
    const file = adapter('c.json', good);
    const level = await fanin(['conform', '--sut', file, '--level', '7']);
    expect(level.code).toBe(2);
    expect(level.stderr).toMatch(/--level 7: a level is an integer 0..4/);
    const scenario = await fanin(['conform', '--sut', file, '--scenario', 'worker-kill,chaos']);
    expect(scenario.code).toBe(2);
    expect(scenario.stderr).toMatch(/--scenario chaos: unknown; the scenarios are pipeline, retry/);
  }, 60_000);

  it('exits 3 when Redis cannot start', async () => {
    const r = await fanin(['conform', '--sut', adapter('d.json', good), '--report-dir', join(dir, 'r')], { REDIS_SERVER_BIN: join(dir, 'no-redis-server') });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/REDIS_SERVER_BIN=.* is not an executable file/);
  }, 60_000);

  it('without a wait command observes completion from the ledger, runs L0 only and says why', async () => {
    const ex = mkdtempSync(join(dir, 'ex-'));
    for (const [name, text] of exampleFiles(readFileSync(join(ROOT, 'docs/conformance.md'), 'utf8'))) writeFileSync(join(ex, name), text);
    copyFileSync(join(ROOT, 'conform/python/fanin_conform.py'), join(ex, 'fanin_conform.py'));
    const sut = JSON.parse(readFileSync(join(ex, 'fanin.sut.json'), 'utf8').replaceAll('"python3"', '"/usr/bin/python3"'));
    delete sut.wait;
    writeFileSync(join(ex, 'fanin.sut.json'), JSON.stringify(sut));
    const r = await fanin(['conform', '--sut', join(ex, 'fanin.sut.json'), '--runs', '2', '--json', '--report-dir', join(ex, 'reports')]);
    const results = JSON.parse(r.stdout);
    expect(results.level).toBe(0);
    expect(results.levels.map((l: { level: number }) => l.level)).toEqual([0]);
    expect(results.notes[0]).toMatch(/no "wait" command: completion was observed from the ledger, so the highest level that can be tested is L0/);
    expect(r.code).toBe(1); // the default requested level, L4, is not reached
  }, 120_000);
});

describe('levels and report', () => {
  const level = (n: number, passed: boolean) => ({ level: n, name: `L${n}`, passed, scenarios: [], durationMs: 1 });
  it('the level reached is the highest with every level below it passed', () => {
    expect(levelReached([level(0, true), level(1, true), level(2, false), level(3, true)])).toBe(1);
    expect(levelReached([level(0, false)])).toBeNull();
    expect(levelReached([])).toBeNull();
  });

  it('renders a badge and a markdown table with the evidence', () => {
    expect(conformBadge(3)).toContain('>L3</text>');
    expect(conformBadge(null)).toContain('>none</text>');
    const md = conformMarkdown({
      schema: 'fanin-conform/1', sut: 's', contract: 'fanin-conformance/1', level: null, requestedLevel: 4, durationMs: 1, createdAt: '', interrupted: false, notes: ['n'],
      levels: [{ ...level(0, false), scenarios: [{ name: 'pipeline', level: 0, summary: '', passed: false, runs: 2, evidence: ['experiment cf-1: a | b'], durationMs: 5, experiments: [], faults: [], runId: 'x' }] }],
    });
    expect(md).toContain('| L0 L0 | pipeline | **FAIL** | 2 | 0.0 s | experiment cf-1: a \\| b |');
    expect(md).toContain('- n');
  });

  it('renders report.html with the badge, the scenario table, escaped evidence and the failing experiments', () => {
    const html = conformHtml({
      schema: 'fanin-conform/1', sut: 's<x>', contract: 'fanin-conformance/1', level: null, requestedLevel: 4, durationMs: 1, createdAt: '', interrupted: false, notes: ['n'],
      levels: [{ ...level(0, false), scenarios: [{ name: 'pipeline', level: 0, summary: '', passed: false, runs: 2, evidence: ['experiment cf-1: <hung>'], durationMs: 5,
        experiments: [{ experiment: 'cf-1', expect: 'completed', submitExit: 0, status: 'hung', durationMs: 2000 }],
        faults: [{ kind: 'kill', target: 'worker.0.1', ledgerId: '1-0', atMs: 10, detail: '' }], runId: 'x' }] }],
    });
    expect(html).toContain('<title>fanin conform: s&lt;x&gt; reaches none</title>');
    expect(html).toContain('>none</text>');
    expect(html).toContain('<td>pipeline</td><td><strong>FAIL</strong></td><td>2</td><td>0.0 s</td><td>kill worker.0.1</td>');
    expect(html).toContain('<code>experiment cf-1: &lt;hung&gt;</code>');
    expect(html).toContain('<td>cf-1</td><td>completed</td><td>hung</td><td>0</td><td>2.0 s</td>');
    expect(html).not.toContain('<hung>');
  });
});
