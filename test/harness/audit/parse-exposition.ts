/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for the tests: every sample's
 * family needs its `# HELP` and `# TYPE` first, a family's lines are contiguous, names match
 * `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names `[a-zA-Z_][a-zA-Z0-9_]*`, label values are quoted
 * with only `\\`, `\"` and `\n` escapes. Throws on anything else.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: string;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function unescape(text: string, allowQuote: boolean): string {
  return text.replace(/\\(.)/g, (_, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    if (c === '"' && allowQuote) return '"';
    throw new Error(`bad escape \\${c}`);
  });
}

/** `{a="x",b="y"}` from position `i` (at `{`): the labels and the position after `}`. */
function readLabels(line: string, i: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let p = i + 1;
  while (line[p] !== '}') {
    const eq = line.indexOf('=', p);
    if (eq < 0) throw new Error(`bad label in ${JSON.stringify(line)}`);
    const name = line.slice(p, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`bad label name ${JSON.stringify(name)}`);
    if (line[eq + 1] !== '"') throw new Error(`label ${name} value not quoted`);
    let q = eq + 2;
    let raw = '';
    while (q < line.length && line[q] !== '"') {
      if (line[q] === '\\') {
        raw += line.slice(q, q + 2);
        q += 2;
      } else raw += line[q++];
    }
    if (q >= line.length) throw new Error(`unterminated label value in ${JSON.stringify(line)}`);
    if (name in labels) throw new Error(`label ${name} twice`);
    labels[name] = unescape(raw, true);
    p = q + 1;
    if (line[p] === ',') p++;
    else if (line[p] !== '}') throw new Error(`bad label list in ${JSON.stringify(line)}`);
  }
  return { labels, end: p + 1 };
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const v = Number(text);
  if (text === '' || !Number.isFinite(v)) throw new Error(`bad value ${JSON.stringify(text)}`);
  return v;
}

export function parseExposition(text: string): { samples: Sample[]; families: Map<string, Family> } {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, Family>();
  const samples: Sample[] = [];
  const closed = new Set<string>();
  let current = '';
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (!METRIC_NAME.test(name)) throw new Error(`bad metric name ${JSON.stringify(name)}`);
      if (name !== current) {
        if (closed.has(name) || families.has(name) && kind === 'HELP') throw new Error(`family ${name} is not contiguous`);
        if (current) closed.add(current);
        current = name;
      }
      const f = families.get(name) ?? { name, help: '', type: '' };
      if (kind === 'HELP') f.help = unescape(rest, false);
      else f.type = rest;
      families.set(name, f);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([^\s{]+)/.exec(line);
    const name = m?.[1] ?? '';
    if (!METRIC_NAME.test(name)) throw new Error(`bad metric name ${JSON.stringify(name)}`);
    const f = families.get(name);
    if (!f?.help || !f.type) throw new Error(`sample ${name} before its HELP and TYPE`);
    if (name !== current) throw new Error(`family ${name} is not contiguous`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const r = readLabels(rest, 0);
      labels = r.labels;
      rest = rest.slice(r.end);
    }
    const parts = rest.trim().split(/\s+/);
    if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2) throw new Error(`bad sample line ${JSON.stringify(line)}`);
    samples.push({ name, labels, value: parseValue(parts[0]) });
  }
  return { samples, families };
}
