/**
 * INFO errorstats as evidence that some component runs commands of the wrong kind on a key
 * (WRONGTYPE), reads a consumer group that does not exist (NOGROUP), or writes past maxmemory
 * (OOM). Server-wide and since the last restart (or CONFIG RESETSTAT): not tied to a key.
 */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';

const TELLING = ['WRONGTYPE', 'NOGROUP', 'OOM'] as const;

export function errorStatsRule(f: AuditFacts): Finding[] {
  if (!f.errorStats) return [];
  const seen = TELLING.filter((e) => (f.errorStats![e] ?? 0) > 0);
  if (seen.length === 0) return [];
  const counts = Object.fromEntries(seen.map((e) => [e, f.errorStats![e]]));
  return [{
    code: 'SERVER_ERROR_STATS',
    severity: 'warning',
    title: `Redis answered ${seen.map((e) => `${e} ${counts[e]} time(s)`).join(', ')} (server-wide, since the last restart): some component runs commands of the wrong kind`,
    evidence: {
      counts,
      detail: [
        ...(counts.WRONGTYPE ? ['WRONGTYPE: a command of one type on a key of another (e.g. LPUSH on a stream): mixed coordination patterns'] : []),
        ...(counts.NOGROUP ? ['NOGROUP: XREADGROUP/XACK on a group that does not exist (deleted, or never created)'] : []),
        ...(counts.OOM ? ['OOM: writes refused past maxmemory: producers lost messages'] : []),
      ],
    },
    fix: 'find the client (MONITOR briefly, or the components\' error logs) and fix its command or key; CONFIG RESETSTAT and watch whether the counts grow again',
  }];
}
