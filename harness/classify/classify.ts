/**
 * `classify(text)`: runs the rule table over one error text and returns the cause, the evidence
 * that identified it, and what to do. Works on text from any backend: a containerd node, a
 * virtual puller, or a real cluster's events.
 */
import { CAUSES, type CauseId } from '../../vocab/causes.ts';
import { pullEvidence, requestEvidence } from './evidence.ts';
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
  /** Other causes the same text fits equally; check them too. */
  alsoPossible?: CauseId[];
}

/** Named groups of a match as `label: value` lines, in pattern order. */
function groupEvidence(match: RegExpExecArray): string[] {
  return (
    Object.entries(match.groups ?? {})
      .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== '')
      // `status2` and the like are a second spelling of the same field in another client's wording.
      .map(([name, value]) => `${name.replace(/\d+$/, '').replaceAll('_', ' ')}: ${value.trim()}`)
  );
}

/** Builds the verdict for a cause, so every result carries the catalogue's title and remediation. */
function verdict(
  cause: CauseId,
  evidence: string[],
  matchedRule: string | null,
  note?: string,
  also?: readonly CauseId[],
): Classification {
  const { title, remediation } = CAUSES[cause];
  const result: Classification = { cause, title, evidence, remediation, matchedRule };
  if (note !== undefined) result.note = note;
  if (also !== undefined) result.alsoPossible = [...also];
  return result;
}

/** Evidence lines without repeats: the rule's groups, then the request, then the pull. */
function evidenceOf(text: string, match?: RegExpExecArray): string[] {
  const own = match === undefined ? [] : groupEvidence(match);
  const field = (line: string) => line.slice(0, line.indexOf(':'));
  // A field the rule itself named (its `status`, its `image`) is not repeated from the generic reading.
  const named = new Set(own.map(field));
  const generic = [...requestEvidence(text), ...pullEvidence(text)].filter((line) => !named.has(field(line)));
  return [...new Set([...own, ...generic])];
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
      return verdict(rule.cause, evidenceOf(text, match), rule.id, rule.note, rule.also);
    }
  }
  return verdict('unclassified', evidenceOf(text), null);
}
