/**
 * `pullstorm report <events.jsonl>`: re-analyses a past run's log and renders its reports again (by
 * default beside the log). Analysis and renderers are pure, so the reports equal the run's own, and
 * so does the exit code (0 pass, 1 fail, 3 error or a killed run's log, 130 interrupted) — except a
 * failed teardown's 3, which happens after the log's last event.
 */
import { dirname, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { EXIT, UsageError } from '../../../vocab/errors.ts';
import { EventLogError, readEventLog } from '../../analyze/log.ts';
import { exitCodeOfAnalysis } from '../../analyze/verdict.ts';
import { analyzeEvents, renderRun } from '../../run/runner.ts';

interface ReportArgs {
  events: string;
  out?: string;
  json: boolean;
}

/** `pullstorm report <events> [--out DIR] [--json]`; default out: the log's directory. */
export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <events>',
  describe: "Re-render a past run's reports from its events.jsonl; exits with the run's exit code",
  builder: (y) =>
    y
      .positional('events', { type: 'string', demandOption: true, describe: "the run's events.jsonl" })
      .option('out', { type: 'string', describe: 'where to write the reports (default: beside the log)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the analysis as JSON on stdout' }),
  handler: async (argv) => {
    let events: Awaited<ReturnType<typeof readEventLog>>;
    try {
      // A killed run's writer may leave half a line at the end; everything before it is sound.
      events = await readEventLog(argv.events, { allowTruncatedTail: true });
    } catch (error) {
      if (error instanceof EventLogError) throw new UsageError(error.message);
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') throw new UsageError(`cannot read ${argv.events}: no such file`);
      throw error;
    }
    if (!events.some((e) => e.kind === 'run.started')) {
      throw new UsageError(
        `${argv.events}: expected a pullstorm run log starting with run.started, got none`,
      );
    }
    const analysis = analyzeEvents(events);
    const dir = resolve(argv.out ?? dirname(argv.events));
    const { summary } = await renderRun(dir, analysis);
    process.stdout.write(argv.json ? `${JSON.stringify(analysis, null, 2)}\n` : summary);
    if (analysis.run.outcome === 'unknown') {
      process.stderr.write(
        `pullstorm report: ${argv.events} has no run.finished (the run was killed before it ended): its expectations were judged on a run cut short; exit ${EXIT.harness}\n`,
      );
    }
    // The analysis's exit code, as `pullstorm run` gave it unless the run's teardown failed (that comes
    // after run.finished, so the log does not hold it): a re-rendered failure still fails a pipeline.
    process.exitCode = exitCodeOfAnalysis(analysis);
  },
};
