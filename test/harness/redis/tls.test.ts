/**
 * rediss:// against Debian's redis-server in TLS mode, with a CA and certificates made here by
 * openssl: diagnose (process workers: the TLS settings reach them through the environment) and
 * the audit pass with and without client certificates; without the CA, or with the wrong name,
 * each fails with exit 3 naming the certificate problem; a missing --tls-ca file is a usage error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fanin } from '../cli-helpers.js';
import { makeCerts, type TestCerts } from '../../support/tls-certs.js';
import { startTlsRedis, type TlsRedis } from '../../support/redis-tls.js';

let certs: TestCerts;
let mutual: TlsRedis;
let serverOnly: TlsRedis;
const reportDir = mkdtempSync(join(tmpdir(), 'fanin-tls-reports-'));

beforeAll(async () => {
  certs = makeCerts();
  [mutual, serverOnly] = await Promise.all([startTlsRedis(certs, 'yes'), startTlsRedis(certs, 'no')]);
}, 60_000);
afterAll(async () => {
  await Promise.all([mutual?.stop(), serverOnly?.stop()]);
});

const clientFlags = () => ['--tls-ca', certs.ca, '--tls-cert', certs.clientCert, '--tls-key', certs.clientKey];
const diagnoseArgs = (url: string, mode = 'process') => ['diagnose', '--redis', url, '--runs', '2', '--worker-mode', mode, '--quiet', '--report-dir', reportDir];

describe.concurrent('TLS (rediss://)', () => {
  it('diagnose with client certificates (tls-auth-clients yes), process workers: passes', async () => {
    const r = await fanin([...diagnoseArgs(`rediss://127.0.0.1:${mutual.port}`), ...clientFlags()]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS 2 runs/m);
  }, 180_000);

  it('the audit with client certificates: passes', async () => {
    const r = await fanin(['audit', '--redis', `rediss://127.0.0.1:${mutual.port}`, '--format', 'console', ...clientFlags()]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }, 60_000);

  it('the settings from the environment (FANIN_TLS_*) work as the flags do; core worker too', async () => {
    const env = { FANIN_TLS_CA: certs.ca, FANIN_TLS_CERT: certs.clientCert, FANIN_TLS_KEY: certs.clientKey };
    const r = await fanin(['audit', '--redis', `rediss://127.0.0.1:${mutual.port}`, '--format', 'console'], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const s = await fanin(['submit', '--redis', `rediss://127.0.0.1:${mutual.port}`, '--prefix', 'tls-submit'], env);
    expect(s.code, s.stdout + s.stderr).toBe(0);
  }, 60_000);

  it('diagnose and audit without client certificates (tls-auth-clients no): pass with the CA only', async () => {
    const url = `rediss://127.0.0.1:${serverOnly.port}`;
    const d = await fanin([...diagnoseArgs(url, 'inline'), '--tls-ca', certs.ca]);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    const a = await fanin(['audit', '--redis', url, '--format', 'console', '--tls-ca', certs.ca]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
  }, 180_000);

  it('without the CA: exit 3 naming the certificate problem (diagnose and audit)', async () => {
    const url = `rediss://127.0.0.1:${serverOnly.port}`;
    for (const args of [diagnoseArgs(url), ['audit', '--redis', url, '--format', 'console']]) {
      const r = await fanin(args);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain('self-signed certificate in certificate chain');
      expect(r.stderr).toContain('(reason: tls)');
      expect(r.stderr).toContain('--tls-ca');
    }
  }, 60_000);

  it('a server requiring client certificates, none given: exit 3 saying to pass --tls-cert and --tls-key', async () => {
    const r = await fanin(['audit', '--redis', `rediss://127.0.0.1:${mutual.port}`, '--format', 'console', '--tls-ca', certs.ca]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('(reason: tls)');
    expect(r.stderr).toContain('--tls-cert');
  }, 60_000);

  it('a hostname mismatch names it and --tls-servername; with the right name it passes', async () => {
    const url = `rediss://127.0.0.1:${serverOnly.port}`;
    const wrong = await fanin(['audit', '--redis', url, '--format', 'console', '--tls-ca', certs.ca, '--tls-servername', 'elsewhere.example']);
    expect(wrong.code, wrong.stderr).toBe(3);
    expect(wrong.stderr).toMatch(/hostname mismatch.*ERR_TLS_CERT_ALTNAME_INVALID.*--tls-servername/);
    const right = await fanin(['audit', '--redis', url, '--format', 'console', '--tls-ca', certs.ca, '--tls-servername', 'localhost']);
    expect(right.code, right.stderr).toBe(0);
  }, 60_000);

  it('a --tls-ca file that does not exist: exit 2 naming the flag and the path', async () => {
    for (const args of [['audit', '--redis', 'rediss://127.0.0.1:1'], ['submit', '--redis', 'rediss://127.0.0.1:1'], ['diagnose', '--redis', 'rediss://127.0.0.1:1', '--report-dir', reportDir]]) {
      const r = await fanin([...args, '--tls-ca', '/nonexistent/ca.pem']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('--tls-ca: cannot read the TLS ca file /nonexistent/ca.pem (ENOENT)');
    }
  }, 60_000);
});
