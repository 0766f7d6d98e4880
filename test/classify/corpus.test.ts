import { describe, expect, it } from 'vitest';
import { CAUSE_IDS } from '../../vocab/causes.ts';
import { loadCorpus, score, table } from './corpus/accuracy.ts';

const corpus = loadCorpus();

describe('the public corpus', () => {
  it('holds at least 250 distinct real messages, each with its source link, client and a known cause', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(250);
    expect(new Set(corpus.map((e) => e.text)).size).toBe(corpus.length);
    for (const entry of corpus) {
      expect(entry.source, entry.text).toMatch(/^https:\/\/\S+$/);
      expect(entry.client, entry.source).toMatch(/\S/);
      expect(entry.text.trim(), entry.source).not.toBe('');
      for (const cause of [entry.cause, ...(entry.alsoAccepted ?? [])]) expect(CAUSE_IDS).toContain(cause);
    }
  });

  it('covers every cause of a pull failure the table knows, and texts no cause fits', () => {
    const labelled = new Set(corpus.map((e) => e.cause));
    for (const cause of ['canceled', 'forbidden', 'short-name', 'proxy', 'image-store', 'unclassified']) {
      expect(labelled).toContain(cause);
    }
  });

  it('is explained and diagnosed correctly at least 95 % of the time (printed per cause)', () => {
    const scores = score(corpus);
    console.log(`\n${table(scores)}\n`);
    const overall = scores.at(-1)!;
    expect(overall.explain / overall.total).toBeGreaterThanOrEqual(0.95);
    expect(overall.diagnose / overall.total).toBeGreaterThanOrEqual(0.95);
  });
});
