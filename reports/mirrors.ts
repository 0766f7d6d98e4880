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

/** Failures to cache, when there were any (a full disk): the count and the first message. */
const stored = (m: MirrorMeasures) =>
  m.storeErrors.count === 0
    ? ''
    : ` · **failed to cache ${formatCount(m.storeErrors.count)}×**: ${m.storeErrors.first}`;

/** One Markdown line per mirror; empty without mirrors. */
export function mirrorLines(a: Analysis): string[] {
  return (a.mirrors ?? []).map(
    (m) =>
      `**Mirror ${m.name}** (${m.type}) amplification ${formatAmplification(m.amplification)} · origin fetches per blob ${perBlob(m)} · hit ratio ${ratio(m.hitRatio)} · byte hit ratio ${ratio(m.byteHitRatio)} · ${formatCount(m.blobRequests)} blob requests, ${formatBytes(m.blobBytesServed)} served · origin errors ${statuses(m.originErrors)} · errors answered ${statuses(m.errorsAnswered)}${stored(m)}`,
  );
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
    rows: (a.mirrors ?? []).map((m) => [
      m.name,
      m.type,
      formatAmplification(m.amplification),
      perBlob(m),
      ratio(m.hitRatio),
      ratio(m.byteHitRatio),
      formatCount(m.blobRequests),
      formatBytes(m.blobBytesServed),
      statuses(m.originErrors),
      statuses(m.errorsAnswered),
      m.storeErrors.count === 0 ? 'none' : `${formatCount(m.storeErrors.count)}: ${m.storeErrors.first}`,
    ]),
  };
}
