/**
 * The CI workflow `fanin init` writes (.github/workflows/fanin.yml): on each push, GitHub Actions
 * installs Node 20 and redis-server, then diagnoses the pipeline; the reports are kept as an
 * artifact. A failed gate or checker fails the job (exit 1).
 */
export const WORKFLOW_FILE = '.github/workflows/fanin.yml';

export const WORKFLOW_TEMPLATE = `# Diagnoses the pipeline's coordination on every push (written by \`fanin init\`).
# Exit code 0 passes; 1 (a gate or checker failed), 2 (configuration) and 3 (no Redis) fail the job.
name: fanin

on:
  push:

jobs:
  diagnose:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - name: Install redis-server
        run: sudo apt-get update && sudo apt-get install -y redis-server
      - run: npm ci
      - name: Diagnose the pipeline
        run: npx fanin diagnose --pipeline fanin.pipeline.ts
      - name: Keep the reports
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: fanin-reports
          path: reports/
          if-no-files-found: ignore
`;
