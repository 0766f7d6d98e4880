/**
 * Digest drift after a tag overwrite: for each tag, which digest each node resolved. Grouped by
 * digest first (a storm has hundreds of nodes), then the per-node table, capped, in a <details>.
 */
import type { Analysis } from '../../harness/analyze/types.ts';
import { formatCount } from '../format.ts';
import { code, details, names, raw, table } from './markup.ts';

function tagBlock(tag: Analysis['drift']['tags'][number], maxNodes: number): string {
  const byDigest = new Map<string, string[]>();
  for (const [node, digest] of Object.entries(tag.digestsByNode))
    byDigest.set(digest, [...(byDigest.get(digest) ?? []), node]);
  const groups = [...byDigest].sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b));
  // The majority digest is the reference; any other is drift worth highlighting.
  const majority = groups[0]?.[0];
  const summary = table(
    ['digest', 'nodes', 'node names'],
    groups.map(([digest, nodes]) => [
      raw(code(digest)),
      formatCount(nodes.length),
      raw(names(nodes.sort(), 10)),
    ]),
    { numeric: [1] },
  );
  const nodes = Object.entries(tag.digestsByNode).sort(([a], [b]) => a.localeCompare(b));
  const rows = nodes
    .slice(0, maxNodes)
    .map(([node, digest]) => [
      raw(code(node)),
      raw(digest === majority ? code(digest) : `<span class="bad">${code(digest)}</span>`),
    ]);
  const more =
    nodes.length > maxNodes
      ? `<p class="note">${formatCount(nodes.length - maxNodes)} more nodes in report.json.</p>`
      : '';
  const status = tag.drift
    ? '<span class="bad">drift: nodes disagree</span>'
    : '<span class="ok">one digest on every node</span>';
  return `<h3>${code(tag.reference)} — ${status}</h3>${summary}${details(`Per-node digests (${formatCount(nodes.length)} nodes)`, table(['node', 'digest'], rows, { caption: `Digest each node resolved for ${tag.reference}` }) + more, tag.drift && nodes.length <= 20)}`;
}

/** The digest-drift section; empty when no tag was tracked. */
export function driftSection(a: Analysis, maxNodes = 200): string {
  if (a.drift.tags.length === 0) return '';
  const lead = a.drift.detected
    ? '<p class="bad">Digest drift detected: a tag was re-pointed during the run and nodes run different content under one name.</p>'
    : '<p>Every node resolved the same digest for each tag.</p>';
  return `<section id="drift"><h2>Digest drift</h2>${lead}${a.drift.tags.map((t) => tagBlock(t, maxNodes)).join('\n')}</section>`;
}
