/** Durations for flags: `250` (ms), `250ms`, `30s`, `5m`, `1h`. */
import { ConfigError } from '../../src/index.js';

const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(value: string | number, flag: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(String(value));
  if (!m) throw new ConfigError(`${flag} "${value}" is not a duration: write 500, 500ms, 30s, 5m or 1h`, { flag, value });
  return Math.round(Number(m[1]) * UNIT[m[2] ?? 'ms']);
}
