/**
 * The public corpus (`*.jsonl` beside this file: real error messages from public issue threads and
 * docs, each with its source link, the client that printed it and the cause a reader of the whole
 * thread would give) and the accuracy of `explain` and of `diagnose` on it, per cause and overall.
 * Run as a script to print the table the README quotes:
 * `node_modules/.bin/node test/classify/corpus/accuracy.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnoseEvents } from '../../../harness/classify/diagnose.ts';
import { explain } from '../../../harness/classify/explain.ts';
import { CAUSE_IDS, type CauseId } from '../../../vocab/causes.ts';

/** One corpus message. */
export interface CorpusEntry {
  /** The cause the thread shows; `unclassified` when no cause in the table fits (a guess would be wrong). */
  cause: CauseId;
  /** Further causes that fit the text equally (the text alone cannot tell them apart). */
  alsoAccepted?: CauseId[];
  /** Who printed it: kubelet-containerd, docker, podman, ecs … */
  client: string;
  /** Where the message was seen (an https URL). */
  source: string;
  text: string;
}

const here = fileURLToPath(new URL('.', import.meta.url));

/** Every corpus entry, in file order. */
export function loadCorpus(dir = here): CorpusEntry[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as CorpusEntry),
    );
}

/** Hits and totals for one cause. */
export interface Score {
  cause: string;
  total: number;
  explain: number;
  diagnose: number;
}

const accepted = (e: CorpusEntry) => [e.cause, ...(e.alsoAccepted ?? [])] as string[];

/** The cause `explain` gives a message: its first diagnosis, or `unclassified`. */
export function explainCause(text: string): string {
  return explain(text).diagnoses[0]?.cause ?? 'unclassified';
}

/**
 * The message as kubelet would record it: evictions and never-pull as their own reasons, a
 * failed inspect as InspectFailed, anything else as the `Failed to pull image` event a node with
 * that runtime writes (texts that are not already one are wrapped in it).
 */
export function asEvent(entry: CorpusEntry, i: number) {
  const t = entry.text;
  const [reason, message] = /The node (?:was low on resource|had condition)/.test(t)
    ? ['Evicted', t]
    : /is not present with pull policy of Never|ErrImageNeverPull/.test(t)
      ? ['ErrImageNeverPull', t]
      : /^Failed to (?:pull|inspect) image "/.test(t)
        ? [t.startsWith('Failed to inspect') ? 'InspectFailed' : 'Failed', t]
        : ['Failed', `Failed to pull image "corpus/message-${i}:1.0": ${t}`];
  return {
    kind: 'Event',
    type: 'Warning',
    reason,
    message,
    involvedObject: { kind: 'Pod', name: `corpus-${i}`, namespace: 'corpus' },
    lastTimestamp: '2026-12-01T00:00:00Z',
  };
}

/** Accuracy of explain and diagnose, per cause (corpus label) and overall (`cause: 'overall'`). */
export function score(entries: CorpusEntry[] = loadCorpus()): Score[] {
  const diagnosis = diagnoseEvents({ kind: 'List', items: entries.map(asEvent) });
  const byPod = new Map(diagnosis.pods.map((p) => [p.pod, p.cause ?? 'unclassified']));
  const rows = new Map<string, Score>();
  const overall: Score = { cause: 'overall', total: 0, explain: 0, diagnose: 0 };
  entries.forEach((entry, i) => {
    const row = rows.get(entry.cause) ?? { cause: entry.cause, total: 0, explain: 0, diagnose: 0 };
    const ok = accepted(entry);
    const e = ok.includes(explainCause(entry.text)) ? 1 : 0;
    const d = ok.includes(byPod.get(`corpus-${i}`) ?? 'missing') ? 1 : 0;
    for (const r of [row, overall]) {
      r.total++;
      r.explain += e;
      r.diagnose += d;
    }
    rows.set(entry.cause, row);
  });
  const order = CAUSE_IDS as readonly string[];
  return [...[...rows.values()].sort((a, b) => order.indexOf(a.cause) - order.indexOf(b.cause)), overall];
}

/** The table as Markdown: cause, messages, explain and diagnose accuracy. */
export function table(scores: Score[] = score()): string {
  const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)} %`;
  return [
    '| cause | messages | explain | diagnose --json |',
    '|---|---:|---:|---:|',
    ...scores.map(
      (s) => `| ${s.cause} | ${s.total} | ${pct(s.explain, s.total)} | ${pct(s.diagnose, s.total)} |`,
    ),
  ].join('\n');
}

if (import.meta.main) {
  const entries = loadCorpus();
  const clients = new Set(entries.map((e) => e.client)).size;
  const sources = new Set(entries.map((e) => e.source)).size;
  console.log(`${entries.length} messages, ${clients} clients, ${sources} sources\n`);
  console.log(table(score(entries)));
}
