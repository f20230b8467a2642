import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../harness/gates/config-file.js';

describe('fanin.config.ts|json', () => {
  it('is optional', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    expect(await loadConfigFile(undefined, dir)).toEqual({ file: null, config: { thresholds: [] } });
  });

  it('reads fanin.config.json, and fanin.config.ts before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'fanin.config.json'), JSON.stringify({ thresholds: ['e2e.p95<2000'], runs: 20 }));
    expect((await loadConfigFile(undefined, dir)).config).toEqual({ thresholds: ['e2e.p95<2000'], runs: 20 });
    writeFileSync(join(dir, 'fanin.config.ts'), "export default { thresholds: ['lost==0'], transport: 'lists' };\n");
    const r = await loadConfigFile(undefined, dir);
    expect(r.file).toBe(join(dir, 'fanin.config.ts'));
    expect(r.config).toEqual({ thresholds: ['lost==0'], transport: 'lists' });
  });

  it('names the problem in an invalid file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'fanin.config.json'), JSON.stringify({ thresholds: 'lost==0', runz: 3 }));
    await expect(loadConfigFile(undefined, dir)).rejects.toThrow(/invalid config file .*fanin\.config\.json: .*thresholds: Expected array/);
    writeFileSync(join(dir, 'broken.json'), '{');
    await expect(loadConfigFile('broken.json', dir)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(loadConfigFile('missing.json', dir)).rejects.toThrow('config file missing.json does not exist');
  });
});
