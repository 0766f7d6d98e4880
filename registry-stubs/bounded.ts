/**
 * Request values shown in messages and records, bounded: a client chooses paths, names, tags and
 * JSON bodies, so anything of theirs that goes into an error, an event or a log line is cut to a
 * known size first, and a JSON value is described without walking it (a 4,400-deep array must not
 * overflow the stack of `JSON.stringify`).
 */

/** Longest request-chosen text kept in messages and events: 256 characters. */
export const CLIP_CHARS = 256;

/** `text` cut to `max` characters (default {@link CLIP_CHARS}), marked with `…(N characters)` when cut. */
export function clip(text: string, max = CLIP_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} characters)`;
}

/**
 * A short description of a JSON value from a request: scalars as JSON (strings clipped), arrays and
 * objects by their size and first keys, never recursively.
 */
export function brief(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(clip(value, 80));
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    const shown = keys.slice(0, 5).map((k) => JSON.stringify(clip(k, 40)));
    return keys.length === 0
      ? 'an empty object'
      : `an object with keys ${shown.join(', ')}${keys.length > 5 ? ` and ${keys.length - 5} more` : ''}`;
  }
  return typeof value;
}

/** How deep `value` nests arrays and objects (a scalar is 0), walked without recursion; stops past `limit`. */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) stack.push([child, here]);
  }
  return deepest;
}
