/** `fanin conform --quick --runs 2 --json` on one of fixtures/sut/: its exit code and results. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fanin, ROOT } from '../../harness/cli-helpers.js';

export interface ConformJson {
  level: number | null;
  levels: { level: number; passed: boolean; scenarios: { name: string; passed: boolean; evidence: string[] }[] }[];
}

export async function conformQuick(system: string): Promise<{ code: number; results: ConformJson }> {
  const reports = mkdtempSync(join(tmpdir(), 'fanin-conform-ref-'));
  try {
    const sut = join(ROOT, 'fixtures/sut', system, 'fanin.sut.json');
    const r = await fanin(['conform', '--sut', sut, '--quick', '--runs', '2', '--json', '--report-dir', reports]);
    if (!r.stdout.trim().startsWith('{')) throw new Error(`fanin conform printed no results (exit ${r.code}): ${r.stderr}`);
    return { code: r.code ?? -1, results: JSON.parse(r.stdout) as ConformJson };
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}

/** Every evidence line of one level. */
export const evidenceOf = (r: ConformJson, level: number) => r.levels.find((l) => l.level === level)!.scenarios.flatMap((s) => s.evidence);
