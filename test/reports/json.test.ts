import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPORT_SCHEMA_VERSION, renderJson, reportDocument } from '../../reports/index.ts';
import { CASES } from './cases.ts';
import { validate } from './json-schema.ts';
import { stormRun } from './storm-fixture.ts';

const schema = JSON.parse(
  readFileSync(new URL('../../reports/schema/report.schema.json', import.meta.url), 'utf8'),
);

describe('report.json', () => {
  it('publishes a draft 2020-12 schema', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.schemaVersion.const).toBe(REPORT_SCHEMA_VERSION);
  });

  for (const [name, build] of Object.entries({ ...CASES, storm: () => stormRun(2000) })) {
    it(`${name}: validates against the schema`, () => {
      expect(validate(JSON.parse(renderJson(build())), schema)).toEqual([]);
    });
  }

  it('is the analysis plus its generator', () => {
    const analysis = CASES.failing!();
    const doc = JSON.parse(renderJson(analysis, { generator: 'pullstorm 9.9.9' }));
    expect(doc.generator).toBe('pullstorm 9.9.9');
    expect(doc.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    const { generator: _, ...rest } = doc;
    expect(rest).toEqual(analysis);
  });

  it('defaults the generator to pullstorm and the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(reportDocument(CASES.passing!()).generator).toBe(`pullstorm ${pkg.version}`);
  });

  it('carries the run clock and its timing, and durations as plain ms', () => {
    const doc = JSON.parse(renderJson(CASES.failing!()));
    expect(doc.schemaVersion).toBe(2);
    expect(doc.run.clock).toBe('warp');
    expect(doc.run.timing).toMatchObject({ clock: 'warp', lateTimers: 3, maxLateMs: 420 });
    expect(doc.run).not.toHaveProperty('timeScale');
    expect(doc.faults[0].detection.first).toEqual({ ms: 2300 });
    expect(doc.faults[0].detection.median).toEqual({ ms: 4050 });
    expect(doc.faults[0].detection.last).toEqual({ ms: 5800 });
    expect(doc.faults[0].recovery).toEqual({ ms: 18_500 });
    const legacy = JSON.parse(renderJson(CASES.drift!()));
    expect(legacy.run).toMatchObject({ clock: 'scaled', legacyTimeScale: 10, timing: null });
    expect(validate(legacy, schema)).toEqual([]);
  });

  it('rejects a run without its clock, an unknown clock, a partial timing, or a real-time double', () => {
    const doc = JSON.parse(renderJson(CASES.failing!()));
    delete doc.run.clock;
    doc.run.timing.eventLoopDelay = { p99Ms: 1 };
    doc.faults[0].recovery.realMs = 185_000;
    const errors = validate(doc, schema);
    expect(errors).toEqual(
      expect.arrayContaining([
        '$.run: missing clock',
        expect.stringContaining('$.run.timing'),
        expect.stringContaining('$.faults[0].recovery'),
      ]),
    );
    const odd = JSON.parse(renderJson(CASES.passing!()));
    odd.run.clock = 'fast';
    expect(validate(odd, schema)).toEqual([expect.stringContaining('$.run.clock: "fast" not in')]);
  });

  // The validator must be able to fail, or the tests above prove nothing.
  it('rejects documents that break the schema', () => {
    const doc = JSON.parse(renderJson(CASES.failing!()));
    delete doc.run.backend;
    doc.verdict = 'maybe';
    doc.faults[0].detection.first = { ms: 'soon' };
    doc.pods[0].extra = true;
    doc.registry.amplification = null;
    const errors = validate(doc, schema);
    expect(errors).toEqual(
      expect.arrayContaining([
        '$.run: missing backend',
        expect.stringContaining('$.verdict: "maybe" not in'),
        expect.stringContaining('$.faults[0].detection'),
        '$.pods[0]: unexpected property extra',
      ]),
    );
    expect(errors.some((e) => e.startsWith('$.registry'))).toBe(false);
  });

  it('has a schema for every field the analysis has', () => {
    // additionalProperties: false everywhere but open records, so an unknown field would fail above;
    // this checks the reverse: every schema property of the top level is present in a document.
    const doc = JSON.parse(renderJson(CASES.failing!()));
    // `mirrors` is present only when the scenario has mirrors (this case has none).
    const optional = ['mirrors'];
    expect(
      Object.keys(schema.properties)
        .filter((k) => !optional.includes(k))
        .sort(),
    ).toEqual(Object.keys(doc).sort());
  });
});
