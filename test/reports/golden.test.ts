import { describe, it } from 'vitest';
import {
  formatTerminalSummary,
  RENDERERS,
  REPORT_FORMATS,
  renderJunit,
  renderMarkdown,
} from '../../reports/index.ts';
import { CASES, GOLDEN_OPTIONS } from './cases.ts';
import { expectGolden } from './golden.ts';
import { stormRun } from './storm-fixture.ts';

// Goldens pin every byte a reader sees; a change to a renderer shows up as a reviewable diff.
describe('renderers against golden files', () => {
  for (const [name, build] of Object.entries(CASES)) {
    for (const format of REPORT_FORMATS) {
      const { file, render } = RENDERERS[format];
      it(`${name}: ${file}`, () => expectGolden(`${name}.${file}`, render(build(), GOLDEN_OPTIONS)));
    }
    it(`${name}: terminal summary`, () => {
      const paths = { html: `pullstorm-runs/${name}/report.html`, junit: `pullstorm-runs/${name}/junit.xml` };
      expectGolden(`${name}.terminal.txt`, formatTerminalSummary(build(), paths));
    });
  }

  // The storm's JSON and HTML are megabytes; its summaries are small and must stay so.
  it('storm: summary.md, junit.xml and terminal summary', () => {
    const storm = stormRun();
    expectGolden('storm.summary.md', renderMarkdown(storm));
    expectGolden('storm.junit.xml', renderJunit(storm, GOLDEN_OPTIONS));
    expectGolden('storm.terminal.txt', formatTerminalSummary(storm));
  });
});
