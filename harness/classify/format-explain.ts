/**
 * Plain-text rendering of an {@link ExplainResult} for a terminal: per failure the cause and its
 * title, the rule that matched, the evidence one item a line (never wrapped, so it can be copied),
 * what else the text may mean, and the remediation wrapped at `width`.
 */
import type { ExplainResult } from './explain.ts';
import { wrap } from './format.ts';

/** Renders what `explain` found (no colour, no trailing newline). */
export function formatExplanation(result: ExplainResult, width = 100): string {
  if (result.diagnoses.length === 0) {
    return `No image-pull error found in ${result.records} line(s): nothing reads like an error. Paste the failing message itself (kubectl describe pod, crictl pull, podman pull, docker pull …).`;
  }
  const blocks = result.diagnoses.map((d, i) => {
    const times = d.count > 1 ? `, ${d.count} times` : '';
    const lines = [
      `${i + 1}. ${d.cause}: ${d.title}`,
      `   rule: ${d.matchedRule ?? 'none (no rule in harness/classify/rules.ts matches)'}${times}`,
    ];
    if (d.evidence.length > 0) lines.push('   evidence:', ...d.evidence.map((e) => `     ${e}`));
    if (d.alsoPossible !== undefined) lines.push(`   also possible: ${d.alsoPossible.join(', ')}`);
    if (d.note !== undefined) lines.push(wrap(`Note: ${d.note}`, width, '   '));
    lines.push(wrap(`Fix: ${d.remediation}`, width, '   '));
    const message = d.message.length > 300 ? `${d.message.slice(0, 300)}…` : d.message;
    lines.push(`   text: ${message}`);
    return lines.join('\n');
  });
  return blocks.join('\n\n');
}
