/**
 * The one redaction of Redis credentials (errors, logs, reports, the harness's `redactString`).
 * Robust by construction: for every `scheme://` in the text, everything up to the LAST `@`
 * before the end of that seed is credentials, whatever characters the password holds (a raw
 * `@ / ? # , ( '` included). A seed ends at the next `,scheme://` (a seed list of full URLs, what
 * repeated `--redis` flags fold into), at whitespace, at a quote (`"`, a backtick, `<`, `>`: none
 * is legal raw in a URL's userinfo) or at the end of the text. The part after the first `:` of
 * the credentials is replaced by `***` (a user name alone is kept), and so is the value of every
 * `password=` query parameter. Over-redaction is allowed; a password is never kept.
 */

export const REDACTED_PASSWORD = '***';

/** The start of a URL: a scheme and `//`. */
const SCHEME = /[a-z][a-z0-9+.-]{0,15}:\/\//gi; // bounded: a long run of letters is scanned once, not once per start
/** Where a seed ends: a quote-like character, whitespace, or the next seed of a list. */
const SEED_END = /["`<>\s]|,(?=[a-z][a-z0-9+.-]{0,15}:\/\/)/gi;

/** One seed (the text after its `scheme://`, up to its end) with the password blanked. */
function redactSeed(seed: string): string {
  const at = seed.lastIndexOf('@');
  let head = '';
  let rest = seed;
  if (at >= 0) {
    const userinfo = seed.slice(0, at);
    const colon = userinfo.indexOf(':');
    head = colon >= 0 ? `${userinfo.slice(0, colon)}:${REDACTED_PASSWORD}@` : `${userinfo}@`;
    rest = seed.slice(at + 1);
  }
  return head + rest.replace(/([?&]password=)[^&#]*/gi, `$1${REDACTED_PASSWORD}`);
}

/**
 * `text` with the password of every URL in it replaced by `***` (a single URL, a seed list, or
 * free text holding any number of them).
 */
export function redactUrl(text: string): string {
  let out = '';
  let from = 0;
  SCHEME.lastIndex = 0;
  for (let m = SCHEME.exec(text); m; m = SCHEME.exec(text)) {
    if (m.index < from) continue;
    const start = m.index + m[0].length;
    // searched in place from `start` (no copy of the rest of the text per URL: linear in the text)
    SEED_END.lastIndex = start;
    const end = SEED_END.exec(text);
    const stop = end ? end.index : text.length;
    out += text.slice(from, start) + redactSeed(text.slice(start, stop));
    from = stop;
    SCHEME.lastIndex = stop;
  }
  return out + text.slice(from);
}
