/** `pullstorm serve`: the registry stub with the fixture images, until Ctrl-C. */
import type { CommandModule } from 'yargs';
import { type ServeOptions, startServe } from '../../../registry-stubs/serve/serve-registry.ts';
import {
  CONTROL_TOKEN_ENV,
  controlTokenFrom,
  usersFromFile,
} from '../../../registry-stubs/serve/serve-secrets.ts';
import { UsageError } from '../../../vocab/errors.ts';
import { limitsFromFlags, withLimitFlags } from '../serve-limits.ts';

/** The parsed flags of `pullstorm serve`. */
export interface ServeArgs {
  host: string;
  port: number;
  tls: boolean;
  'tls-dir'?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
  'tls-ca'?: string;
  'tls-ca-key'?: string;
  'tls-san': string[];
  auth: 'none' | 'basic' | 'token';
  user: string[];
  storage?: string;
  fixtures: boolean;
  'large-size': number;
  'large-layers': number;
  'control-token'?: string;
  'control-token-file'?: string;
  'users-file'?: string;
  'control-port'?: number;
  /** The limit flags (serve-limits.ts), by flag name. */
  [limit: string]: unknown;
}

/** Parses `name:password` pairs given with --user. */
export function parseUsers(values: string[]): { username: string; password: string }[] {
  return values.map((value) => {
    const at = value.indexOf(':');
    if (at <= 0 || at === value.length - 1) {
      throw new UsageError(`--user: expected <name>:<password>, got '${value.replace(/:.*/, ':…')}'`);
    }
    return { username: value.slice(0, at), password: value.slice(at + 1) };
  });
}

/** `startServe()` options from parsed flags (for the command, and for tests that run parsed arguments). */
export function serveOptions(argv: ServeArgs): ServeOptions {
  return {
    host: argv.host,
    port: argv.port,
    tls: argv.tls || argv['tls-cert'] !== undefined,
    tlsFiles:
      argv['tls-cert'] !== undefined && argv['tls-key'] !== undefined
        ? { cert: argv['tls-cert'], key: argv['tls-key'], ca: argv['tls-ca'], caKey: argv['tls-ca-key'] }
        : undefined,
    tlsDir: argv['tls-dir'],
    tlsNames: argv['tls-san'],
    auth: argv.auth,
    users: [...parseUsers(argv.user), ...usersFromFile(argv['users-file'])],
    storage: argv.storage,
    fixtures: argv.fixtures,
    largeSizeBytes: argv['large-size'],
    largeLayers: argv['large-layers'],
    controlToken: controlTokenFrom(argv['control-token'], argv['control-token-file']),
    controlPort: argv['control-port'],
    limits: limitsFromFlags(argv),
  };
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Run the stub OCI registry with the fixture images; prints one JSON line when ready',
  builder: (y) =>
    withLimitFlags(y)
      .option('host', {
        type: 'string',
        default: '127.0.0.1',
        describe: 'address to listen on (loopback by default)',
      })
      .option('port', { type: 'number', default: 5000, describe: 'port to listen on; 0 picks a free one' })
      .option('tls', {
        type: 'boolean',
        default: false,
        describe: 'serve HTTPS with a generated CA and certificate (or the --tls-cert/--tls-key files)',
      })
      .option('tls-dir', {
        type: 'string',
        describe: 'where to write the generated ca.crt, tls.crt, tls.key (default: a temp dir)',
      })
      .option('tls-san', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'extra host name or IP the generated certificate is valid for (repeatable)',
      })
      .option('tls-cert', {
        type: 'string',
        describe: 'serve this PEM certificate instead of generating one (implies --tls; needs --tls-key)',
      })
      .option('tls-key', {
        type: 'string',
        describe: 'the PEM private key of --tls-cert',
      })
      .option('tls-ca', {
        type: 'string',
        describe:
          'PEM of the CA that issued --tls-cert: checked, then named as caFile in the ready line (default: caFile null)',
      })
      .option('tls-ca-key', {
        type: 'string',
        describe:
          'PEM private key (ECDSA P-256) of --tls-ca: serve then issues the certificates of tls-expired, tls-wrong-host and tls-no-ip-san (default: those faults do not apply)',
      })
      .option('auth', {
        choices: ['none', 'basic', 'token'] as const,
        default: 'none' as const,
        describe: 'authentication mode',
      })
      .option('user', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe:
          'a user as name:password with pull/push/delete on every repository (repeatable; visible in the process list: prefer --users-file)',
      })
      .option('users-file', {
        type: 'string',
        describe:
          'users in htpasswd format, as distribution reads it: name:<bcrypt hash> per line (htpasswd -Bbn name password); each gets pull/push/delete on every repository. The recommended way',
      })
      .option('storage', {
        type: 'string',
        describe: 'store content on disk under this directory (default: memory)',
      })
      .option('fixtures', {
        type: 'boolean',
        default: true,
        describe: 'seed the fixture images (--no-fixtures for an empty registry)',
      })
      .option('large-size', {
        type: 'number',
        default: 16 * 1024 * 1024,
        describe: 'total bytes of pullstorm/large:1.0',
      })
      .option('large-layers', { type: 'number', default: 4, describe: 'layer count of pullstorm/large:1.0' })
      .option('control-token', {
        type: 'string',
        describe: `enable the fault control API (/_pullstorm/faults; pullstorm fault …) and the event feed (/_pullstorm/events) with this token (X-Pullstorm-Control-Token or Authorization: Bearer); visible in the process list: prefer --control-token-file or ${CONTROL_TOKEN_ENV}`,
      })
      .option('control-token-file', {
        type: 'string',
        describe: `read the control token from the first line of this file (or set ${CONTROL_TOKEN_ENV}); the recommended way`,
      })
      .option('control-port', {
        type: 'number',
        describe:
          'port of the control listener, which serves the control API, the event feed and GET /metrics where no fault reaches (ready line: controlUrl); needs --control-token (default: a free port). Without a control token /metrics is on --port',
      })
      .check((argv) => {
        if (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535) {
          throw new UsageError(`--port: expected an integer from 0 to 65535, got ${argv.port}`);
        }
        if (argv.auth !== 'none' && argv.user.length === 0 && argv['users-file'] === undefined) {
          throw new UsageError(
            `--auth ${argv.auth}: expected --users-file <htpasswd> or at least one --user <name>:<password>, got neither`,
          );
        }
        if (argv['control-token'] === '')
          throw new UsageError(
            '--control-token: expected a non-empty token, got an empty one (it would enable nothing)',
          );
        const control = argv['control-port'];
        if (control !== undefined) {
          if (!Number.isInteger(control) || control < 0 || control > 65535)
            throw new UsageError(`--control-port: expected an integer from 0 to 65535, got ${control}`);
          if (
            argv['control-token'] === undefined &&
            argv['control-token-file'] === undefined &&
            !process.env[CONTROL_TOKEN_ENV]
          )
            throw new UsageError(
              `--control-port: the control listener serves the control API, which needs a control token (--control-token-file, ${CONTROL_TOKEN_ENV} or --control-token); expected one, got none`,
            );
          if (control !== 0 && control === argv.port)
            throw new UsageError(
              `--control-port: expected a port other than --port's, got ${control} for both`,
            );
        }
        if (argv['tls-ca-key'] !== undefined && argv['tls-ca'] === undefined)
          throw new UsageError('--tls-ca-key: expected --tls-ca with the CA certificate too, got none');
        const given = (['tls-cert', 'tls-key', 'tls-ca', 'tls-ca-key'] as const).filter(
          (f) => argv[f] !== undefined,
        );
        if (given.length > 0 && (argv['tls-cert'] === undefined || argv['tls-key'] === undefined)) {
          throw new UsageError(
            `--${given.join(', --')}: expected --tls-cert and --tls-key together, got only --${given.join(' and --')}`,
          );
        }
        if (argv['tls-cert'] !== undefined) {
          const generated = [
            ...(argv['tls-dir'] !== undefined ? ['--tls-dir'] : []),
            ...(argv['tls-san'].length > 0 ? ['--tls-san'] : []),
          ];
          if (generated.length > 0)
            throw new UsageError(
              `${generated.join(', ')}: these shape a generated certificate; with --tls-cert the file's own names are served, so expected neither, got ${generated.join(' and ')}`,
            );
        }
        if (!Number.isInteger(argv['large-layers']) || argv['large-layers'] < 1) {
          throw new UsageError(`--large-layers: expected a positive integer, got ${argv['large-layers']}`);
        }
        if (!Number.isInteger(argv['large-size']) || argv['large-size'] < argv['large-layers']) {
          throw new UsageError(
            `--large-size: expected an integer of at least one byte per layer, got ${argv['large-size']}`,
          );
        }
        return true;
      }),
  handler: async (argv) => {
    const options = serveOptions(argv);
    const served = await startServe(options);
    process.stdout.write(`${JSON.stringify(served.ready)}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await served.close();
  },
};
