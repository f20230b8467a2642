/** results.json: the full, versioned DiagnoseResults record (`fanin.results/v1`), redacted. */
import type { Reporter } from './reporter.js';
import { redact } from './redact.js';

export const jsonReporter: Reporter = {
  name: 'json',
  file: 'results.json',
  render(results) {
    return `${JSON.stringify(redact(results), null, 2)}\n`;
  },
};
