/**
 * `explain(text)`: the classifier for text people paste — one error message, or a whole log, a CI
 * transcript or `kubectl describe pod` output — from any client. The text is cut into records (a
 * line; an indented line continues the record above it, as wrapped messages do; each row of a
 * `kubectl describe` event table is its own record), every record is classified, and records with
 * the same verdict are reported once, with a count: recognised failures first, in order of first
 * appearance, then error records no rule knows as `unclassified` (never a guess). In a log, lines
 * that do not read like an error and kubelet's echoes (`Error: ErrImagePull`) are left out; a
 * single message is always reported.
 */
import { type Classification, classify } from './classify.ts';

/** One distinct failure found in the text. */
export interface Explanation extends Classification {
  /** The first record that gave this verdict, as written (logrus `\"` unescaped). */
  message: string;
  /** Records that gave the same verdict. */
  count: number;
}

/** Everything `explain` found. */
export interface ExplainResult {
  /** Distinct failures: recognised ones in order of first appearance, then unrecognised errors. */
  diagnoses: Explanation[];
  /** Records (messages) read. */
  records: number;
}

// A row of kubectl's event table: `  Warning  Failed  17s (x3 over 57s)  kubelet  <message>`.
const eventRow =
  /^\s*(?:Warning|Normal)\s+\S+\s+(?:\S+(?: \(x\d+ over \S+\))?)\s+\S+(?:, \S+)?\s{2,}(?<message>\S.*)$/;
// kubelet repeating the pod's state: the failure it refers to is reported from its own record.
const echo =
  /(?:^|\s)(?:Error: (?:ErrImagePull|ImagePullBackOff|ImageInspectError)|Back-off pulling image "[^"]*")\s*$/;
const errorLike =
  /\b(?:error|errors|failed|failure|fatal|denied|refused|unable|cannot|could not|timeout|timed out|forbidden|unauthorized|invalid|not found)\b|ERRO|FATA/i;

/** Cuts text into records: one per line, indented lines joined to the record they continue. */
export function records(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.replaceAll('\r\n', '\n').split('\n')) {
    if (raw.trim() === '') continue;
    const row = eventRow.exec(raw);
    if (row !== null) out.push(row.groups!.message!.trim());
    else if (/^\s/.test(raw) && out.length > 0 && !/^\s*(?:Warning|Normal)\s/.test(raw)) {
      out[out.length - 1] = `${out.at(-1)!.replace(/\s+$/, '')} ${raw.trim()}`;
    } else out.push(raw.trim());
  }
  // logrus escapes the quotes inside msg="…" and error="…".
  return out.map((r) => r.replaceAll('\\"', '"'));
}

/** What makes two verdicts the same failure: the cause, the rule and the image. */
function keyOf(verdict: Classification, record: string): string {
  const image = verdict.evidence.find((e) => e.startsWith('image: ')) ?? '';
  return verdict.cause === 'unclassified'
    ? `unclassified|${record}`
    : `${verdict.cause}|${verdict.matchedRule}|${image}`;
}

/** Classifies every failure in a pasted text; see the module comment for how it is cut. */
export function explain(text: string): ExplainResult {
  const all = records(text);
  const found = new Map<string, Explanation>();
  for (const record of all) {
    const verdict = classify(record);
    if (verdict.cause === 'unclassified') {
      // One message on its own is always reported; in a log only what reads like an error.
      if (all.length > 1 && (echo.test(record) || !errorLike.test(record))) continue;
    }
    const key = keyOf(verdict, record);
    const seen = found.get(key);
    if (seen !== undefined) seen.count++;
    else found.set(key, { ...verdict, message: record, count: 1 });
  }
  const diagnoses = [...found.values()];
  const known = diagnoses.filter((d) => d.cause !== 'unclassified');
  const unknown = diagnoses.filter((d) => d.cause === 'unclassified');
  return { diagnoses: [...known, ...unknown], records: all.length };
}
