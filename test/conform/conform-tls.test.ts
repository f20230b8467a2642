/**
 * `fanin conform` and `fanin agent` take the TLS flags of every command that connects
 * (--tls-ca/--tls-cert/--tls-key/--tls-servername, env FANIN_TLS_*): conform passes them to the
 * system's processes through their environment; a file that cannot be read is exit 2 naming the flag.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { conformEnv } from '../../harness/conform/sut-processes.js';
import { fanin } from '../harness/cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fanin-conform-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = { redisUrl: 'redis://127.0.0.1:1', ledgerUrl: 'redis://127.0.0.1:2', runId: 'r', keyPrefix: 'k' };

describe('conform and TLS', () => {
  it('conformEnv keeps FANIN_TLS_* and drops every other FANIN_* of fanin\'s own environment', () => {
    const env = conformEnv(base, 'w.1', {}, { PATH: '/bin', FANIN_TLS_CA: '/ca.pem', FANIN_TLS_SERVERNAME: 'redis.local', FANIN_REDIS_URL: 'redis://elsewhere', FANIN_PREFIX: 'x' });
    expect(env).toMatchObject({ PATH: '/bin', FANIN_TLS_CA: '/ca.pem', FANIN_TLS_SERVERNAME: 'redis.local', FANIN_REDIS_URL: base.redisUrl, FANIN_WORKER_ID: 'w.1' });
    expect(env.FANIN_PREFIX).toBeUndefined();
  });

  it('fanin conform --tls-ca/--tls-servername reach the system\'s processes', async () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    const out = join(dir, 'env.out');
    const sut = join(dir, 'fanin.sut.json');
    writeFileSync(sut, JSON.stringify({
      contract: 'fanin-conformance/1', name: 'tls-env', keyPrefix: 'tlsenv',
      processes: [{ name: 'w', role: 'worker', command: ['sh', '-c', `printf '%s|%s' "$FANIN_TLS_CA" "$FANIN_TLS_SERVERNAME" > ${out}; sleep 20`] }],
      submit: { command: ['sh', '-c', 'exit 1'] },
    }));
    const r = await fanin(['conform', '--sut', sut, '--level', '0', '--runs', '1', '--quick', '--quiet', '--report-dir', join(dir, 'r'), '--tls-ca', ca, '--tls-servername', 'redis.local']);
    expect(r.code, r.stdout + r.stderr).not.toBe(2);
    expect(readFileSync(out, 'utf8')).toBe(`${ca}|redis.local`);
  }, 120_000);

  it('a TLS file that cannot be read: exit 2 naming the flag, for conform and agent', async () => {
    const missing = join(dir, 'missing.pem');
    const c = await fanin(['conform', '--sut', join(dir, 'fanin.sut.json'), '--tls-ca', missing, '--report-dir', join(dir, 'r')]);
    expect(c.code, c.stderr).toBe(2);
    expect(c.stderr).toContain(`--tls-ca: cannot read the TLS ca file ${missing} (ENOENT)`);
    const a = await fanin(['agent', '--serve', '--tls-cert', missing]);
    expect(a.code, a.stderr).toBe(2);
    expect(a.stderr).toContain(`--tls-cert: cannot read the TLS cert file ${missing} (ENOENT)`);
  }, 60_000);
});
