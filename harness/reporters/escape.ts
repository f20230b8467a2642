/** Escaping for the text-based report formats (XML, HTML, Markdown table cells). */

/** Characters XML 1.0 does not allow at all, not even escaped (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML element content and attribute values (either quote style). */
export function escapeXml(value: unknown): string {
  return String(value ?? '')
    .replace(XML_INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Escapes text for an XML attribute that must survive attribute-value normalisation: newlines
 * and tabs become character references so parsers keep them.
 */
export function escapeXmlAttr(value: unknown): string {
  return escapeXml(value).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Makes text safe for one GitHub-flavoured Markdown table cell: one line, no column breaks,
 * no raw HTML.
 */
export function escapeMarkdownCell(value: unknown): string {
  return escapeMarkdownText(value).replace(/\|/g, '\\|').replace(/\r?\n|\r/g, ' ');
}

/** Makes text safe for Markdown prose: no raw HTML tags or entities. */
export function escapeMarkdownText(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * A Markdown code span holding `value` verbatim (entities are not decoded inside code spans,
 * so no HTML escaping), safe inside a table cell.
 */
export function markdownCode(value: unknown): string {
  const body = String(value ?? '').replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || body.startsWith(' ') || body.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}
