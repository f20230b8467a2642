/** The cluster masters named by a cross-key finding's evidence: each once, sorted. */
export function unionOf(...lists: readonly string[][]): string[] {
  return [...new Set(lists.flat())].sort();
}
