/**
 * The `fanin agent --serve` command (yargs wiring only; the server is agent-serve.ts). The
 * ledger settings come from the environment (FANIN_LEDGER_URL, FANIN_RUN_ID, FANIN_WORKER_ID);
 * a missing one is a configuration error naming it (exit 2). A `rediss://` ledger is verified with
 * the TLS flags (--tls-ca, --tls-cert, --tls-key, --tls-servername) or FANIN_TLS_*.
 */
import type { Argv } from 'yargs';
import { Redis } from 'ioredis';
import { ConfigError, tlsOptionsFor, withTlsFlags } from '../../src/index.js';
import { serveAgent } from './agent-serve.js';
import { ledgerSettingsFromEnv } from './conform-task.js';

export function agentCommandModule(setCode: (c: number) => void) {
  return {
    command: 'agent',
    describe: 'the conformance helper for any language: --serve answers task requests as NDJSON on stdin/stdout (docs/conformance.md, section 8)',
    builder: (y: Argv) => withTlsFlags(y).option('serve', { type: 'boolean', default: false, describe: 'serve newline-delimited JSON requests on stdin until it ends' }),
    handler: async (a: { serve: boolean }) => {
      if (!a.serve) throw new ConfigError('fanin agent needs --serve (the only mode): requests on stdin, replies on stdout');
      const settings = ledgerSettingsFromEnv();
      const ledger = new Redis(settings.ledger, { maxRetriesPerRequest: 20, tls: tlsOptionsFor(settings.ledger) });
      try {
        await serveAgent({ input: process.stdin, output: process.stdout, ledger, runId: settings.runId, worker: settings.worker });
      } finally {
        await ledger.quit().catch(() => ledger.disconnect());
      }
      setCode(0);
    },
  };
}
