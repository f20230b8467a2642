#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (a runtime dependency), so no build step is needed.
import { register } from 'tsx/esm/api';
register();
process.env.FANIN_CLI_MAIN = '1';
await import('../src/cli.ts');
