/** The health-snapshot section of report.html: what was left behind in Redis after the runs. */
import type { HealthSnapshot } from '../audit/health-types.js';
import { escapeHtml as esc } from './escape.js';

type Level = 'ok' | 'warn' | 'bad';

interface Row {
  label: string;
  value: string;
  level: Level;
  detail?: string;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

function pill(level: Level): string {
  const text = level === 'ok' ? 'ok' : level === 'warn' ? 'check' : 'problem';
  return `<span class="pill ${level}">${text}</span>`;
}

function sample(items: readonly string[], max = 8): string {
  const shown = items.slice(0, max).map((s) => `<code>${esc(s)}</code>`).join(' ');
  return items.length > max ? `${shown} <span class="muted">…and ${items.length - max} more</span>` : shown;
}

export function healthRows(h: HealthSnapshot): Row[] {
  const rows: Row[] = [];
  rows.push({ label: 'Keys in the keyspace', value: String(h.keyCount), level: 'ok', detail: `prefix <code>${esc(h.prefix)}</code> · ${esc(h.transport)}` });
  if (h.transport === 'streams' || h.groups.length > 0) {
    const pending = sum(h.groups.map((g) => g.pending));
    const lag = sum(h.groups.map((g) => g.lag ?? 0));
    const stuck = h.groups.filter((g) => g.pending > 0).map((g) => `${g.stream} (${g.pending})`);
    rows.push({
      label: 'Consumer groups',
      value: `${h.groups.length} groups · ${pending} pending · ${lag} lag`,
      level: pending > 0 || lag > 0 ? 'bad' : 'ok',
      detail: stuck.length > 0 ? `pending in ${sample(stuck)}` : undefined,
    });
  }
  if (h.transport === 'lists' || h.queues.length > 0 || h.processingLists.length > 0) {
    const queued = sum(h.queues.map((q) => q.length));
    const processing = sum(h.processingLists.map((q) => q.length));
    rows.push({ label: 'Stage queues', value: `${h.queues.length} queues · ${queued} waiting`, level: queued > 0 ? 'bad' : 'ok' });
    rows.push({
      label: 'Processing lists',
      value: `${processing} in flight`,
      level: processing > 0 ? 'bad' : 'ok',
      detail: processing > 0 ? sample(h.processingLists.filter((q) => q.length > 0).map((q) => `${q.key} (${q.length})`)) : undefined,
    });
  }
  const delayed = sum(h.delayed.map((d) => d.length));
  rows.push({ label: 'Delayed retries', value: String(delayed), level: delayed > 0 ? 'warn' : 'ok' });
  const dead = sum(h.deadLetters.map((d) => d.length));
  const firstDead = h.deadLetters.flatMap((d) => d.entries).slice(0, 3).map((e) => Object.entries(e).map(([k, v]) => `${k}=${v}`).join(' '));
  rows.push({
    label: 'Dead letters',
    value: String(dead),
    level: dead > 0 ? 'warn' : 'ok',
    detail: firstDead.length > 0 ? sample(firstDead, 3) : undefined,
  });
  rows.push({
    label: 'Task keys without TTL',
    value: `${h.taskKeys.withoutTtl.length} of ${h.taskKeys.total}`,
    level: h.taskKeys.withoutTtl.length > 0 ? 'warn' : 'ok',
    detail: h.taskKeys.withoutTtl.length > 0 ? sample(h.taskKeys.withoutTtl) : undefined,
  });
  rows.push({
    label: 'Wrong-type keys',
    value: String(h.wrongTypes.length),
    level: h.wrongTypes.length > 0 ? 'bad' : 'ok',
    detail: h.wrongTypes.length > 0 ? sample(h.wrongTypes.map((w) => `${w.key}: ${w.actual}, expected ${w.expected}`)) : undefined,
  });
  const byStatus = new Map<string, number>();
  for (const e of h.experiments) byStatus.set(e.status, (byStatus.get(e.status) ?? 0) + 1);
  const unfinished = h.experiments.filter((e) => e.status !== 'completed');
  rows.push({
    label: 'Experiments',
    value: [...byStatus].map(([s, c]) => `${c} ${s}`).join(' · ') || '0',
    level: unfinished.length > 0 ? 'bad' : 'ok',
    detail:
      unfinished.length > 0
        ? sample(unfinished.map((e) => `${e.id}: ${e.status} at ${e.stage} (${e.remaining}/${e.width} left)${e.cause ? ` — ${e.cause}` : ''}`), 5)
        : undefined,
  });
  const art = h.artifacts;
  const badArt = art.filter((a) => !a.resolved || !a.matches);
  rows.push({
    label: 'Artifacts',
    value: `${art.filter((a) => a.resolved).length} resolved · ${art.filter((a) => a.matches).length} match of ${art.length}`,
    level: badArt.length > 0 ? 'bad' : 'ok',
    detail: badArt.length > 0 ? sample(badArt.map((a) => `${a.experimentId} ${a.stage ?? ''} ${a.hash.slice(0, 12)}${a.resolved ? ' (hash mismatch)' : ' (missing)'}`)) : undefined,
  });
  const res = h.results;
  const badRes = res.filter((r) => !r.resolved || !r.matches || !r.schemaValid);
  rows.push({
    label: 'Final results',
    value: `${res.filter((r) => r.resolved && r.matches && r.schemaValid).length} intact of ${res.length}`,
    level: badRes.length > 0 ? 'bad' : 'ok',
    detail:
      badRes.length > 0
        ? sample(badRes.map((r) => `${r.experimentId}: ${!r.resolved ? 'missing' : !r.matches ? 'hash mismatch' : `schema: ${r.schemaErrors.join('; ')}`}`), 5)
        : undefined,
  });
  return rows;
}

export function healthSection(h: HealthSnapshot): string {
  const rows = healthRows(h)
    .map(
      (r) =>
        `<tr class="${r.level === 'bad' ? 'bad' : ''}"><td>${esc(r.label)}</td><td class="num">${esc(r.value)}</td><td>${pill(r.level)}</td><td>${r.detail ?? ''}</td></tr>`,
    )
    .join('');
  const taken = Number.isFinite(h.takenAt) ? new Date(h.takenAt).toISOString() : '–';
  return (
    `<section id="health"><h2>Health snapshot <span class="muted">taken ${esc(taken)}</span></h2>` +
    `<table><thead><tr><th>What</th><th class="num">Value</th><th>Status</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}
