/** Validation of queue messages (the only untrusted input a worker reads from a queue). */
import { z } from 'zod';
import type { TaskMessage } from './transport.js';

const ID_MAX = 512;
const id = z.string().min(1).max(ID_MAX);

function isId(v: string | undefined): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= ID_MAX;
}
const listMessageSchema = z.object({ t: id, k: id, e: id, d: z.number().int().min(0).default(0) });

export type ParsedMessage = { ok: true; message: TaskMessage; previousDeliveries: number } | { ok: false; problem: string };

/** A lists-transport item: JSON `{ t, k, e, d }`. */
export function parseListMessage(raw: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, problem: 'unparseable message: not JSON' };
  }
  // (the common case checked by hand: this runs for every delivery; the schema names what is wrong)
  const m = json as { t?: string; k?: string; e?: string; d?: unknown } | null;
  if (typeof m === 'object' && m !== null && !Array.isArray(m) && isId(m.t) && isId(m.k) && isId(m.e) && (m.d === undefined || (Number.isInteger(m.d) && (m.d as number) >= 0))) {
    return { ok: true, message: { taskId: m.t, taskKey: m.k, experimentId: m.e }, previousDeliveries: (m.d as number | undefined) ?? 0 };
  }
  const r = listMessageSchema.safeParse(json);
  if (!r.success) return { ok: false, problem: `malformed message: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  return { ok: true, message: { taskId: r.data.t, taskKey: r.data.k, experimentId: r.data.e }, previousDeliveries: r.data.d };
}

/** A streams-transport entry: flat field/value list with fields t, k, e. */
export function parseStreamFields(fields: readonly string[] | null): ParsedMessage {
  if (!fields) return { ok: false, problem: 'entry was trimmed from the stream before it was processed' };
  const map: Record<string, string> = Object.create(null);
  for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i]] = fields[i + 1];
  const { t, k, e } = map;
  // (checked by hand, not with a schema: this runs for every delivery)
  if (!isId(t) || !isId(k) || !isId(e)) return { ok: false, problem: `malformed message: fields ${Object.keys(map).join(',') || '(none)'} lack t, k or e` };
  return { ok: true, message: { taskId: t, taskKey: k, experimentId: e }, previousDeliveries: 0 };
}
