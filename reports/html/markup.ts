/** Small HTML helpers shared by the report's sections; every text argument is escaped here. */
import { escapeHtml } from '../escape.ts';

/** Marks a string as HTML already, so `table` does not escape it again. */
export interface Html {
  html: string;
}

/** Wraps trusted markup built by this module's callers. */
export function raw(html: string): Html {
  return { html };
}

/** A cell: text is escaped, `Html` is kept. */
export type Cell = string | number | Html;

function cell(c: Cell): string {
  return typeof c === 'object' ? c.html : escapeHtml(String(c));
}

/** A table with column headers (`scope="col"`), an optional caption and numeric columns right-aligned. */
export function table(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: { caption?: string; numeric?: readonly number[]; className?: string } = {},
): string {
  const numeric = new Set(options.numeric ?? []);
  const td = (c: Cell, i: number) => `<td${numeric.has(i) ? ' class="num"' : ''}>${cell(c)}</td>`;
  const th = header.map(
    (h, i) => `<th scope="col"${numeric.has(i) ? ' class="num"' : ''}>${escapeHtml(h)}</th>`,
  );
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  const cls = options.className ? ` class="${options.className}"` : '';
  const body = rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table${cls}>${caption}<thead><tr>${th.join('')}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** A collapsible block: `summary` is markup, `body` is markup. */
export function details(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>${body}</details>`;
}

/** Escaped text in a <pre> block, for messages that must be shown exactly. */
export function pre(text: string): string {
  return `<pre>${escapeHtml(text)}</pre>`;
}

/** Escaped inline code. */
export function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/** A list of names, the first `max` shown and the rest counted. */
export function names(list: readonly string[], max = 20): string {
  const shown = list.slice(0, max).map(code).join(', ');
  return list.length > max ? `${shown} and ${list.length - max} more` : shown;
}
