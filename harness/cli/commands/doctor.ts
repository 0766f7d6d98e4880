/** `pullstorm doctor`: what this machine can run, and how to get what is missing. */
import type { CommandModule } from 'yargs';
import { doctor, formatDoctor } from '../../doctor/check.ts';
import { EXIT } from '../exit.ts';

export const doctorCommand: CommandModule<object, { json: boolean }> = {
  command: 'doctor',
  describe:
    'Check the environment (containerd, runc, docker, kind, kubectl, k6, deno, root) and say how to fix it',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'print the checks as JSON' }),
  handler: async (argv) => {
    const result = await doctor();
    process.stdout.write(argv.json ? `${JSON.stringify(result, null, 2)}\n` : formatDoctor(result));
    if (!result.ready) process.exitCode = EXIT.harness;
  },
};
