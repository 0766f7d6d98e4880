/**
 * bench/RESULTS.md as named sections (`<!-- bench:<name> -->` … `<!-- /bench:<name> -->`), so running
 * one benchmark replaces its own tables and keeps the others' last results.
 */

const section = (name: string, body: string) =>
  `<!-- bench:${name} -->\n${body.trim()}\n<!-- /bench:${name} -->`;
const pattern = /<!-- bench:([\w-]+) -->\n([\s\S]*?)\n<!-- \/bench:\1 -->/g;

/** The sections of a results file, in file order; a file from before sections is all `registry`. */
export function parseResults(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const m of text.matchAll(pattern)) sections.set(m[1]!, m[2]!);
  // Only the registry benchmark existed before sections did.
  if (sections.size === 0 && text.trim() !== '') sections.set('registry', text.trim());
  return sections;
}

/** `existing` with `updates` replacing (or appending) their sections, in `order` where known. */
export function mergeResults(
  existing: string,
  updates: Map<string, string>,
  order: readonly string[],
): string {
  const sections = parseResults(existing);
  for (const [name, body] of updates) sections.set(name, body);
  const names = [...sections.keys()].sort((a, b) => rank(order, a) - rank(order, b));
  return `${names.map((name) => section(name, sections.get(name)!)).join('\n\n')}\n`;
}

const rank = (order: readonly string[], name: string) => {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
};
