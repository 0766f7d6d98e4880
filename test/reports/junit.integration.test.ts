import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJunit, renderJunitSuites } from '../../reports/index.ts';
import { CASES } from './cases.ts';
import { stormRun } from './storm-fixture.ts';

const xsd = fileURLToPath(new URL('./junit.xsd', import.meta.url));
const xmllint = '/usr/bin/xmllint';
const dir = mkdtempSync(join(tmpdir(), 'pullstorm-junit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lint(name: string, xml: string): void {
  const file = join(dir, `${name}.xml`);
  writeFileSync(file, xml);
  // Throws with xmllint's message when the document is not well-formed or not valid.
  execFileSync(xmllint, ['--noout', '--schema', xsd, file], { stdio: 'pipe' });
}

describe.skipIf(!existsSync(xmllint))('junit.xml against the JUnit XSD (xmllint, from libxml2-utils)', () => {
  for (const [name, build] of Object.entries(CASES))
    it(`${name} is valid`, () => lint(name, renderJunit(build())));
  it('the storm is valid', () => lint('storm', renderJunit(stormRun(1000))));
  it('several runs in one file are valid', () =>
    lint('suites', renderJunitSuites(Object.values(CASES).map((b) => b()))));

  it('stays valid with control characters, ANSI colours and markup in texts', () => {
    const a = CASES.failing!();
    a.run.scenario = 'odd <scenario> & "quotes"';
    a.expectations[2]!.description = 'recovered\u0000 within \u001b[31m2m\u001b[0m ]]> <![CDATA[';
    a.expectations[2]!.actual = 'line one\nline two \ud800 lone surrogate';
    const xml = renderJunit(a);
    lint('odd', xml);
    expect(xml).toContain('name="odd &lt;scenario&gt; &amp; &quot;quotes&quot;"');
    expect(xml).toContain('recovered\ufffd within 2m ]]&gt; &lt;![CDATA[');
    expect(xml).toContain('line one&#10;line two \ufffd lone surrogate');
  });
});

describe('junit.xml structure', () => {
  it('has one testcase per expectation and a failure with actual against expected', () => {
    const xml = renderJunit(CASES.failing!());
    expect(xml.match(/<testsuite /g)).toHaveLength(1);
    expect(xml.match(/<testcase /g)).toHaveLength(6);
    expect(xml).toContain(
      'tests="6" failures="3" errors="0" skipped="0" time="120.000" timestamp="2026-11-26T19:00:00.000Z"',
    );
    expect(xml).toContain('<testcase classname="rate-limit-storm" name="tls detected within 30s" time="0">');
    expect(xml).toContain('<failure message="expected ≤ 30s, actual not detected" type="detectedWithin">');
    expect(xml).toContain('<property name="clock" value="warp"/>');
    expect(xml).toContain('<property name="timing.lateTimers" value="3"/>');
    expect(xml).not.toContain('timeScale');
  });

  it('marks every case as an error when the harness failed', () => {
    const xml = renderJunit(CASES.error!());
    expect(xml).toContain('failures="0" errors="6"');
    expect(xml.match(/<error message="harness error: containerd on node-b exited/g)).toHaveLength(6);
  });

  it('carries the run as one case when the scenario has no expectations', () => {
    const a = { ...CASES.passing!(), expectations: [] };
    expect(renderJunit(a)).toContain(
      '<testcase classname="registry-5xx-recovery" name="run completes" time="0"/>',
    );
    expect(renderJunit({ ...a, verdict: 'error' })).toContain(
      '<error message="ERROR: run completed" type="run">',
    );
  });
});
