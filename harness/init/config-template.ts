/** The fanin.config.json `fanin init` writes: the default gates, spelled out to edit (harness/gates/config-file.ts). */
import { DEFAULT_THRESHOLDS } from '../gates/threshold.js';

export const CONFIG_FILE = 'fanin.config.json';

export function configTemplate(): string {
  return `${JSON.stringify({ thresholds: DEFAULT_THRESHOLDS }, null, 2)}\n`;
}
