#!/usr/bin/env node
// fanin's command line. Installed (the package ships dist/, not the sources), it runs the compiled
// dist/harness/cli.js with plain node: no tsx at run time (tsx is needed only to load a user's .ts
// modules). In fanin's own checkout, where harness/cli.ts exists, it runs the sources through tsx
// (a devDependency), so no build step is needed while developing; FANIN_FROM_DIST=1 runs dist/ there.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../harness/cli.ts', import.meta.url));
const built = new URL('../dist/harness/cli.js', import.meta.url);
let run;
if (existsSync(source) && process.env.FANIN_FROM_DIST !== '1') {
  const { register } = await import('tsx/esm/api');
  register();
  ({ run } = await import('../harness/cli.ts'));
} else if (existsSync(fileURLToPath(built))) {
  ({ run } = await import(built.href));
} else {
  process.stderr.write('fanin: dist/harness/cli.js is missing: run `npm run build` in fanin\'s checkout (the installed package ships it)\n');
  process.exit(2);
}
process.exit(await run(process.argv.slice(2)));
