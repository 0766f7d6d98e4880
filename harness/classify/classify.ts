/**
 * `classify(text)`: runs the rule table over one error text and returns the cause, the evidence
 * that identified it, and what to do. Works on text from any backend: a containerd node, a
 * virtual puller, or a real cluster's events.
 */
import { CAUSES, type CauseId } from './causes.ts';
import { RULES } from './rules.ts';

/** The verdict on one error text. */
export interface Classification {
  cause: CauseId;
  /** The cause's title from {@link CAUSES}. */
  title: string;
  /** What in the text identified the cause, as `label: value` strings (status, request, host …). */
  evidence: string[];
  /** The cause's remediation from {@link CAUSES}. */
  remediation: string;
  /** Id of the rule in `rules.ts` that matched; null when unclassified. */
  matchedRule: string | null;
  /** What this particular variant adds to the remediation, when the rule has something to add. */
  note?: string;
}

// Where containerd and Go name the request that failed; the first one in the text is reported.
const requestPatterns: readonly [RegExp, string | null][] = [
  [/unexpected status from (HEAD|GET|POST) request to (https?:\/\/\S+?): \d{3}\b/, null],
  [/\b(Head|Get|Post) "(https?:\/\/[^"]+)"/, null],
  [/httpReadSeeker: failed open: unexpected status code (https?:\/\/\S+?): \d{3}\b/, 'GET'],
  [/content at (https?:\/\/\S+) not found/, 'GET'],
];

/** The failed request's method and URL, plus its host, when the text names one. */
function requestEvidence(text: string): string[] {
  for (const [pattern, method] of requestPatterns) {
    const match = pattern.exec(text);
    if (match === null) continue;
    const [verb, url] = method === null ? [match[1]!, match[2]!] : [method, match[1]!];
    const host = URL.canParse(url) ? new URL(url).host : undefined;
    return host === undefined
      ? [`request: ${verb.toUpperCase()} ${url}`]
      : [`request: ${verb.toUpperCase()} ${url}`, `host: ${host}`];
  }
  return [];
}

/** Named groups of a match as `label: value` lines, in pattern order. */
function groupEvidence(match: RegExpExecArray): string[] {
  return Object.entries(match.groups ?? {})
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== '')
    .map(([name, value]) => `${name.replaceAll('_', ' ')}: ${value.trim()}`);
}

/** Builds the verdict for a cause, so every result carries the catalogue's title and remediation. */
function verdict(
  cause: CauseId,
  evidence: string[],
  matchedRule: string | null,
  note?: string,
): Classification {
  const { title, remediation } = CAUSES[cause];
  const result: Classification = { cause, title, evidence, remediation, matchedRule };
  if (note !== undefined) result.note = note;
  return result;
}

/**
 * Classifies one error text (a kubelet event message, a CRI error, a puller's error) by the first
 * matching rule in `RULES`. Text no rule matches is `unclassified`, never a guess.
 */
export function classify(text: string): Classification {
  for (const rule of RULES) {
    for (const pattern of rule.patterns) {
      const match = pattern.exec(text);
      if (match === null) continue;
      const seen = new Set<string>();
      const evidence = [...groupEvidence(match), ...requestEvidence(text)].filter((line) => {
        if (seen.has(line)) return false;
        seen.add(line);
        return true;
      });
      return verdict(rule.cause, evidence, rule.id, rule.note);
    }
  }
  return verdict('unclassified', requestEvidence(text), null);
}
