/** A redis-server in TLS mode (`--port 0 --tls-port N`) on a free loopback port, stopped by pid. */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { freeLoopbackPort } from '../../harness/redis/free-port.js';
import type { TestCerts } from './tls-certs.js';

export interface TlsRedis {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

function tlsPing(port: number, certs: TestCerts): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({
      host: '127.0.0.1', port, ca: readFileSync(certs.ca), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey),
    });
    let reply = '';
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(1_000, () => done(false));
    s.on('error', () => done(false));
    s.on('secureConnect', () => s.write('PING\r\n'));
    s.on('data', (d) => { reply += d.toString(); if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH')); });
  });
}

export async function startTlsRedis(certs: TestCerts, authClients: 'yes' | 'no'): Promise<TlsRedis> {
  const port = await freeLoopbackPort();
  const child = spawn('redis-server', [
    '--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--tls-cert-file', certs.serverCert, '--tls-key-file', certs.serverKey, '--tls-ca-cert-file', certs.ca, '--tls-auth-clients', authClients,
  ], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && !(await tlsPing(port, certs))) await sleep(50);
  return {
    port, child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
