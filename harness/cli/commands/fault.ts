/**
 * `pullstorm fault apply|clear|list`: steer the faults of a running stub (`pullstorm serve
 * --control-token …`) through its control API. `--option` and `--scope` take `key=value`; values
 * are typed by the catalogue (numbers, booleans, comma-separated lists), so `--option limit=3`
 * sends the number 3. A TLS stub's own CA is trusted through `--ca`, `$PULLSTORM_CA` or `--ready`
 * (harness/cli/fault-target.ts).
 */
import type { Argv, CommandModule } from 'yargs';
import { catalogueEntry, FAULT_NAMES } from '../../../registry-stubs/faults/catalogue.ts';
import { ControlApiError, createControlClient } from '../../../registry-stubs/faults/client.ts';
import { FaultError } from '../../../registry-stubs/faults/errors.ts';
import type { OptionSpecs } from '../../../registry-stubs/faults/options.ts';
import { SCOPE_SPECS } from '../../../registry-stubs/faults/scope.ts';
import type { FaultSummary } from '../../../registry-stubs/faults/spec.ts';
import { closest } from '../../../vocab/closest.ts';
import { UsageError } from '../../../vocab/errors.ts';
import { type FaultTarget, faultTarget, untrustedHint } from '../fault-target.ts';

interface ConnectionArgs {
  url?: string;
  token?: string;
  ca?: string;
  ready?: string;
}
interface ApplyArgs extends ConnectionArgs {
  name: string;
  option: string[];
  scope: string[];
  id?: string;
  json: boolean;
}
interface ClearArgs extends ConnectionArgs {
  id?: string;
  all: boolean;
}
interface ListArgs extends ConnectionArgs {
  json: boolean;
}

/** A `key=value` value typed by the option's catalogue type; unknown keys stay text (the stub reports them). */
function typed(value: string, type: string | undefined): unknown {
  const numeric = /^-?\d+(\.\d+)?(e\d+)?$/i.test(value);
  if (type === 'integer' || type === 'number') return numeric ? Number(value) : value;
  if (type === 'integer|string') return numeric ? Number(value) : value;
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  if (type === 'string[]') return value.split(',').filter((v) => v !== '');
  return value;
}

/** Parses repeated `key=value` flags into an object typed by `specs`. */
export function parsePairs(
  values: readonly string[],
  flag: string,
  specs: OptionSpecs,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of values) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${flag}: expected key=value, got '${pair}'`);
    const key = pair.slice(0, eq);
    out[key] = typed(pair.slice(eq + 1), specs[key]?.type);
  }
  return out;
}

function connection<T>(y: Argv<T>) {
  return y
    .option('url', {
      type: 'string',
      describe:
        "the stub's control URL: the ready line's controlUrl, which connection faults never reach (the registry URL works too, until one does); default $PULLSTORM_URL, else --ready's controlUrl",
    })
    .option('token', {
      type: 'string',
      describe: 'the control token the stub was started with (default $PULLSTORM_CONTROL_TOKEN)',
    })
    .option('ca', {
      type: 'string',
      describe:
        "PEM file of the CA to trust for an https URL: a --tls stub's <tls-dir>/ca.crt, the ready line's caFile (default $PULLSTORM_CA, else the system's)",
    })
    .option('ready', {
      type: 'string',
      describe:
        "a file holding the stub's ready line (pullstorm serve … > ready.json): its controlUrl is the default --url, and its caFile is trusted when --url is that stub's; waited for up to 30 s while missing or empty",
    });
}

async function client(argv: ConnectionArgs) {
  const target = await faultTarget({ url: argv.url, ca: argv.ca, ready: argv.ready, env: process.env });
  const token = argv.token ?? process.env.PULLSTORM_CONTROL_TOKEN;
  if (token === undefined || token === '')
    throw new UsageError('--token: expected the control token the stub was started with, got none');
  // Loaded only for a private CA: node:https and the stub-access module are not needed otherwise.
  const fetch =
    target.caPem === undefined
      ? undefined
      : (await import('../../backends/remote-stub/access.ts')).directAccess({
          url: target.url,
          caPem: target.caPem,
        }).fetch;
  return { target, control: createControlClient({ url: target.url, token, ...(fetch && { fetch }) }) };
}

/** Turns the control API's refusals into usage errors (exit 2); unreachable stubs and 5xx stay harness errors. */
async function calling<T>(what: string, target: FaultTarget, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const untrusted = untrustedHint(err, target);
    if (untrusted !== undefined) throw untrusted;
    if (err instanceof FaultError) {
      const lines = err.problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`));
      throw new UsageError(`${what}: ${lines.length === 1 ? lines[0] : `\n- ${lines.join('\n- ')}`}`);
    }
    if (err instanceof ControlApiError && err.status < 500) throw new UsageError(`${what}: ${err.message}`);
    throw err;
  }
}

function table(faults: readonly FaultSummary[]): string {
  if (faults.length === 0) return 'no faults applied\n';
  const rows = faults.map((f) => [
    f.id,
    f.fault,
    f.where,
    String(f.hits ?? '-'),
    JSON.stringify(f.options),
    JSON.stringify(f.scope),
  ]);
  const all = [['ID', 'FAULT', 'WHERE', 'HITS', 'OPTIONS', 'SCOPE'], ...rows];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
    .join('\n')
    .concat('\n');
}

const apply: CommandModule<object, ApplyArgs> = {
  command: 'apply <name>',
  describe: 'Apply a fault; prints its id',
  builder: (y) =>
    connection(y)
      .positional('name', {
        type: 'string',
        demandOption: true,
        describe: 'catalogue name (see pullstorm faults)',
      })
      .option('option', {
        alias: 'o',
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'a fault option as key=value (repeatable)',
      })
      .option('scope', {
        alias: 's',
        type: 'string',
        array: true,
        default: [] as string[],
        describe:
          'a scope condition as key=value: repository, route, nodes, clients, probability, maxCount, seed',
      })
      .option('id', { type: 'string', describe: 'id for the fault (default <name>-<n>)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the applied fault as JSON' })
      .example(
        '$0 fault apply rate-limit -o limit=3 -s route=manifest --url http://127.0.0.1:5000 --token t',
        '',
      )
      .example(
        '$0 fault apply refused --ready ready.json --token t',
        'a --tls stub: pullstorm serve --tls --control-token t > ready.json; its controlUrl and CA are taken from the file',
      ),
  handler: async (argv) => {
    const entry = catalogueEntry(argv.name);
    if (entry === undefined) {
      const guess = closest(argv.name, FAULT_NAMES);
      throw new UsageError(
        `expected a fault name (see pullstorm faults), got '${argv.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`,
      );
    }
    const spec = {
      fault: argv.name,
      options: parsePairs(argv.option, 'option', entry.options),
      scope: parsePairs(argv.scope, 'scope', SCOPE_SPECS),
      ...(argv.id !== undefined && { id: argv.id }),
    };
    const { target, control } = await client(argv);
    const applied = await calling(`fault apply ${argv.name}`, target, () => control.apply(spec));
    process.stdout.write(argv.json ? `${JSON.stringify(applied, null, 2)}\n` : `${applied.id}\n`);
  },
};

const clear: CommandModule<object, ClearArgs> = {
  command: 'clear [id]',
  describe: 'Clear one fault by id, or every fault with --all; prints the cleared ids',
  builder: (y) =>
    connection(y)
      .positional('id', { type: 'string', describe: 'id printed by fault apply' })
      .option('all', { type: 'boolean', default: false, describe: 'clear every applied fault' }),
  handler: async (argv) => {
    if ((argv.id === undefined) === !argv.all) {
      throw new UsageError(`expected a fault id or --all, got ${argv.all ? 'both' : 'neither'}`);
    }
    const { target, control } = await client(argv);
    const cleared = await calling('fault clear', target, () =>
      argv.all ? control.clearAll() : control.clear(argv.id!),
    );
    process.stdout.write(cleared.map((id) => `${id}\n`).join(''));
  },
};

const list: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: 'List the applied faults with their options, scope and hits',
  builder: (y) => connection(y).option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
  handler: async (argv) => {
    const { target, control } = await client(argv);
    const faults = await calling('fault list', target, () => control.list());
    process.stdout.write(argv.json ? `${JSON.stringify(faults, null, 2)}\n` : table(faults));
  },
};

export const faultCommand: CommandModule = {
  command: 'fault <command>',
  describe: 'Apply, clear and list faults on a running stub (pullstorm serve --control-token …)',
  builder: (y) =>
    y
      .command(apply as unknown as CommandModule)
      .command(clear as unknown as CommandModule)
      .command(list as unknown as CommandModule)
      .demandCommand(1, 'expected apply, clear or list'),
  handler: () => {},
};
