/**
 * Reads the output of `kubectl get events -o json` into flat, typed pod events. Accepts core v1
 * (`kind: List` as kubectl prints it, or `EventList` from the API) and events.k8s.io/v1
 * (`regarding`, `note`, `deprecatedCount`, `series`). Anything else is rejected with a message
 * that says what was expected and what was given.
 */

/** One event about a pod, with the fields diagnosis needs and the time fields already chosen. */
export interface PodEvent {
  namespace: string;
  pod: string;
  /** Container name from `fieldPath` (`spec.containers{app}`), when given. */
  container?: string;
  reason: string;
  type: string;
  message: string;
  /** How many times it happened (`series.count`, `count` or `deprecatedCount`; 1 if none). */
  count: number;
  /** ISO time it was first seen, when known. */
  firstSeen?: string;
  /** ISO time it was last seen, when known. */
  lastSeen?: string;
}

/** Events read from a list: pod events, and how many items were about something else. */
export interface ReadEvents {
  events: PodEvent[];
  /** Items about other kinds of object (nodes, deployments …). */
  skipped: number;
}

const expected =
  'expected a Kubernetes EventList (kind: EventList, items: [...]), as printed by `kubectl get events -o json`';

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** A short description of a value for error messages: what was given instead. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} element(s)`;
  if (!isObj(value)) return `a ${typeof value}`;
  const kind = str(value.kind);
  if (kind !== undefined && !Array.isArray(value.items)) return `an object of kind ${JSON.stringify(kind)}`;
  const keys = Object.keys(value).slice(0, 6).join(', ');
  return `an object without an items array (keys: ${keys === '' ? 'none' : keys})`;
}

/** Parses JSON text, or passes an already parsed value through. */
function parse(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch (error) {
    const head = input.trim().slice(0, 40).replaceAll('\n', ' ');
    throw new TypeError(`${expected}; got text that is not JSON (${(error as Error).message}): "${head}"`, {
      cause: error,
    });
  }
}

/** Converts one list item, or says why it cannot be an event; undefined when it is not about a pod. */
function readItem(item: unknown, index: number, problems: string[]): PodEvent | undefined {
  if (!isObj(item)) {
    problems.push(`items[${index}] is ${describe(item)}, not an event object`);
    return undefined;
  }
  if (item.kind !== undefined && item.kind !== 'Event') {
    problems.push(`items[${index}] has kind ${JSON.stringify(item.kind)}, not "Event"`);
    return undefined;
  }
  const about = isObj(item.involvedObject)
    ? item.involvedObject
    : isObj(item.regarding)
      ? item.regarding
      : undefined;
  if (about === undefined) {
    problems.push(`items[${index}] has neither involvedObject nor regarding`);
    return undefined;
  }
  const meta = isObj(item.metadata) ? item.metadata : {};
  const pod = str(about.name);
  if (about.kind !== 'Pod' || pod === undefined) return undefined;
  const series = isObj(item.series) ? item.series : {};
  const lastSeen =
    str(series.lastObservedTime) ??
    str(item.lastTimestamp) ??
    str(item.deprecatedLastTimestamp) ??
    str(item.eventTime) ??
    str(meta.creationTimestamp) ??
    str(item.firstTimestamp);
  const firstSeen =
    str(item.firstTimestamp) ?? str(item.deprecatedFirstTimestamp) ?? str(item.eventTime) ?? lastSeen;
  const event: PodEvent = {
    namespace: str(about.namespace) ?? str(meta.namespace) ?? 'default',
    pod,
    reason: str(item.reason) ?? '',
    type: str(item.type) ?? '',
    message: str(item.message) ?? str(item.note) ?? '',
    count: num(series.count) ?? num(item.count) ?? num(item.deprecatedCount) ?? 1,
  };
  const container = /^spec\.(?:initContainers|containers|ephemeralContainers)\{(.+)\}$/.exec(
    str(about.fieldPath) ?? '',
  );
  if (container !== null) event.container = container[1]!;
  if (firstSeen !== undefined) event.firstSeen = firstSeen;
  if (lastSeen !== undefined) event.lastSeen = lastSeen;
  return event;
}

/**
 * Reads `kubectl get events -o json` output (text or parsed) into pod events. Throws a
 * TypeError naming what was expected and what was given (up to three problems at once).
 */
export function readEventList(input: unknown): ReadEvents {
  const list = parse(input);
  if (!isObj(list) || !Array.isArray(list.items)) throw new TypeError(`${expected}; got ${describe(list)}`);
  if (list.kind !== undefined && list.kind !== 'EventList' && list.kind !== 'List') {
    throw new TypeError(`${expected}; got kind ${JSON.stringify(list.kind)}`);
  }
  const problems: string[] = [];
  const events: PodEvent[] = [];
  let skipped = 0;
  list.items.forEach((item, index) => {
    const event = readItem(item, index, problems);
    if (event === undefined) skipped++;
    else events.push(event);
  });
  if (problems.length > 0) {
    const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
    throw new TypeError(`${expected}; got ${problems.slice(0, 3).join('; ')}${more}`);
  }
  return { events, skipped };
}

/** Milliseconds since the epoch for an event time; tolerates microsecond precision (eventTime). */
export function timeOf(iso: string | undefined): number {
  if (iso === undefined) return Number.NEGATIVE_INFINITY;
  const ms = Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}
