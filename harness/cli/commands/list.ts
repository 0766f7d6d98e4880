/** `pullstorm list`: the built-in scenarios, what each proves, its expected verdict and rough duration. */
import type { CommandModule } from 'yargs';
import { textTable } from '../../../reports/terminal.ts';
import { scenarioContext } from '../../backends/stub-engine.ts';
import { BUILTINS, builtinFile } from '../../run/builtin.ts';
import { loadScenarioFile } from '../../scenario/load.ts';

/** `pullstorm list [--json]`. */
export const listCommand: CommandModule<object, { json: boolean }> = {
  command: 'list',
  describe: 'List the built-in scenarios: what each proves, its expected verdict and rough duration',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'print the list as JSON' }),
  handler: async (argv) => {
    const context = scenarioContext();
    const rows = await Promise.all(
      BUILTINS.map(async (b) => {
        const scenario = await loadScenarioFile(builtinFile(b.name), context);
        return {
          name: b.name,
          covers: b.row,
          proves: scenario.description,
          // Built-ins carry expectations a healthy setup meets: each should pass.
          expected: 'pass',
          roughSeconds: b.roughSeconds,
          suites: [...b.suites],
          ...(b.boundBy ? { boundBy: b.boundBy } : {}),
        };
      }),
    );
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    const table = textTable([
      ['name', 'expected', 'duration', 'suite', 'what it proves'],
      ...rows.map((r) => [
        r.name,
        r.expected,
        `~${r.roughSeconds}s${r.boundBy ? ' *' : ''}`,
        r.suites.join(','),
        r.proves,
      ]),
    ]);
    const suite = rows.filter((r) => r.suites.includes('default'));
    const total = suite.reduce((n, r) => n + r.roughSeconds, 0);
    const bound = rows
      .filter((r) => r.boundBy)
      .map((r) => `  * ${r.name}: bounded by ${r.boundBy} (real work, never skipped)`);
    process.stdout.write(
      `${table}\n\n${bound.join('\n')}\n\nDurations are wall time on 2 cores under the default clock (warp: idle time skipped, real work 1:1).\npullstorm run (no arguments) runs the default suite: ${suite.length} scenarios, ~${total}s on 2 cores; pullstorm run --suite long runs the others.\n`,
    );
  },
};
