/** The mirror lines of summary.md and the mirror table of report.html, from `analysis.mirrors`. */

import type { MirrorMeasures } from '../harness/analyze/mirrors.ts';
import type { Analysis } from '../harness/analyze/types.ts';
import { formatAmplification, formatBytes, formatCount } from './format.ts';

const ratio = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`);
const perBlob = (m: MirrorMeasures) =>
  m.originFetchesPerBlob.mean === null
    ? '—'
    : `${m.originFetchesPerBlob.mean.toFixed(2)} (max ${m.originFetchesPerBlob.max})`;
const statuses = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ') || 'none';

/** `m` with each measure it could not observe shown as `unknown` instead of its placeholder. */
function shownMeasures(m: MirrorMeasures) {
  const unknown = new Set(m.unknown ?? []);
  const or = (key: string, text: string) => (unknown.has(key) ? 'unknown' : text);
  return {
    amplification: or('amplification', formatAmplification(m.amplification)),
    perBlob: or('originFetchesPerBlob', perBlob(m)),
    hitRatio: or('hitRatio', ratio(m.hitRatio)),
    byteHitRatio: or('byteHitRatio', ratio(m.byteHitRatio)),
    blobRequests: or('blobRequests', formatCount(m.blobRequests)),
    served: or('blobBytesServed', formatBytes(m.blobBytesServed)),
    originErrors: or('originErrors', statuses(m.originErrors)),
    errorsAnswered: or('errorsAnswered', statuses(m.errorsAnswered)),
    storeErrors: or(
      'storeErrors',
      m.storeErrors.count === 0 ? 'none' : `${formatCount(m.storeErrors.count)}: ${m.storeErrors.first}`,
    ),
  };
}

/** Failures to cache, when there were any (a full disk): the count and the first message. */
const stored = (m: MirrorMeasures) =>
  m.storeErrors.count === 0
    ? ''
    : ` · **failed to cache ${formatCount(m.storeErrors.count)}×**: ${m.storeErrors.first}`;

/** One Markdown line per mirror; empty without mirrors. */
export function mirrorLines(a: Analysis): string[] {
  return (a.mirrors ?? []).map((m) => {
    const s = shownMeasures(m);
    return `**Mirror ${m.name}** (${m.type}) amplification ${s.amplification} · origin fetches per blob ${s.perBlob} · hit ratio ${s.hitRatio} · byte hit ratio ${s.byteHitRatio} · ${s.blobRequests} blob requests, ${s.served} served · origin errors ${s.originErrors} · errors answered ${s.errorsAnswered}${stored(m)}`;
  });
}

/** The header and rows of the mirror table (escaped by the caller's table helper). */
export function mirrorRows(a: Analysis): { header: string[]; rows: string[][] } {
  return {
    header: [
      'mirror',
      'type',
      'amplification',
      'origin fetches per blob',
      'hit ratio',
      'byte hit ratio',
      'blob requests',
      'bytes served',
      'origin errors',
      'errors answered',
      'failed to cache',
    ],
    rows: (a.mirrors ?? []).map((m) => {
      const s = shownMeasures(m);
      return [
        m.name,
        m.type,
        s.amplification,
        s.perBlob,
        s.hitRatio,
        s.byteHitRatio,
        s.blobRequests,
        s.served,
        s.originErrors,
        s.errorsAnswered,
        s.storeErrors,
      ];
    }),
  };
}
