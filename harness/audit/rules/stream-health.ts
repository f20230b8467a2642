/** Generic stream rules: old pending entries, dead consumers, ghost entries, orphaned lag, unbounded growth. */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';
import { displayKey } from '../key-name.js';

export function streamHealthRule(f: AuditFacts): Finding[] {
  const out: Finding[] = [];
  const { pendingAgeMs, idleAgeMs, streamLength } = f.thresholds;
  for (const s of f.streams.values()) {
    for (const g of s.groups) {
      // group and consumer names are shown escaped, like keys
      const group = displayKey(g.raw);
      const shown = (c: { raw: Buffer }) => displayKey(c.raw);
      if (g.stale.length > 0) {
        out.push({
          code: 'STREAM_PENDING_OLD',
          severity: 'warning',
          title: `${g.stale.length}${g.stale.length >= 20 ? '+' : ''} pending entries of group ${group} on ${s.key.name} are idle past ${pendingAgeMs} ms`,
          evidence: {
            keys: [s.key.name], messageIds: g.stale.map((e) => e.id), consumers: [...new Set(g.stale.map((e) => displayKey(e.consumerRaw)))],
            agesMs: { oldestIdle: Math.max(...g.stale.map((e) => e.idleMs)) }, counts: { pending: g.pending, maxDeliveries: Math.max(...g.stale.map((e) => e.deliveries)) },
          },
          fix: 'reclaim them (XAUTOCLAIM with a visibility timeout) or find why their consumer never acknowledges',
        });
      }
      const dead = g.consumers.filter((c) => c.pending > 0 && c.idleMs > idleAgeMs);
      if (dead.length > 0) {
        out.push({
          code: 'STREAM_DEAD_CONSUMER',
          severity: 'critical',
          title: `${dead.length} consumer(s) of group ${group} on ${s.key.name} idle past ${idleAgeMs} ms still own pending entries`,
          evidence: {
            keys: [s.key.name], consumers: dead.map(shown),
            counts: Object.fromEntries(dead.map((c) => [`pending:${shown(c)}`, c.pending])), agesMs: Object.fromEntries(dead.map((c) => [`idle:${shown(c)}`, c.idleMs])),
          },
          fix: 'run a reclaimer (XAUTOCLAIM) so live consumers take these entries over; then XGROUP DELCONSUMER the dead ones',
        });
      }
      if (g.ghosts.length > 0) {
        out.push({
          code: 'STREAM_GHOST_PENDING',
          severity: 'warning',
          title: `${g.ghosts.length} pending entries of group ${group} on ${s.key.name} no longer exist in the stream (trimmed or deleted before acknowledgement)`,
          evidence: { keys: [s.key.name], messageIds: g.ghosts, counts: { pending: g.pending } },
          fix: 'acknowledge them (XACK) after recovering their work elsewhere, and trim only acknowledged entries (bigger MAXLEN)',
        });
      }
      const active = g.consumers.filter((c) => c.idleMs <= idleAgeMs);
      if ((g.lag ?? 0) > 0 && active.length === 0) {
        out.push({
          code: 'STREAM_LAG_NO_CONSUMER',
          severity: 'critical',
          title: `group ${group} on ${s.key.name} has ${g.lag} undelivered entries and no active consumer`,
          evidence: { keys: [s.key.name], consumers: g.consumers.map(shown), counts: { lag: g.lag ?? 0, consumers: g.consumers.length } },
          fix: 'start consumers for this group (or delete the group if nothing should consume it)',
        });
      }
    }
    if (s.length > streamLength) {
      out.push({
        code: 'STREAM_UNBOUNDED',
        severity: 'warning',
        title: `stream ${s.key.name} holds ${s.length} entries, past ${streamLength}`,
        evidence: { keys: [s.key.name], counts: { length: s.length } },
        fix: 'bound it: XADD ... MAXLEN ~ N (or XTRIM MINID) once entries are acknowledged',
      });
    }
  }
  return out;
}
