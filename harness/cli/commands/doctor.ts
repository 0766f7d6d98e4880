/**
 * `pullstorm doctor`: what this machine can run, and how to get what is missing. With `--context`
 * (or `--kubeconfig`) it also looks, read-only, at that cluster: versions of every node's kubelet and
 * runtime, whether it looks like production, what the API cannot show (mirrors, CAs) and what the
 * user must set on the nodes for a scenario (`--scenario`) to be meaningful there, every API
 * permission a run needs (SelfSubjectAccessReview; the set `pullstorm rbac` prints) and the faults
 * that cannot apply there. Exit 3 when a permission is missing.
 */
import type { CommandModule } from 'yargs';
import { describeError, EXIT } from '../../../vocab/errors.ts';
import { clientNodeApi } from '../../backends/kubeconfig/api.ts';
import { loadContext } from '../../backends/kubeconfig/context.ts';
import { doctorForContext, formatContextReport } from '../../backends/kubeconfig/doctor.ts';
import { scenarioContext } from '../../backends/stub-engine.ts';
import { doctor, formatDoctor } from '../../doctor/check.ts';
import { loadScenarioFile } from '../../scenario/load.ts';

interface DoctorArgs {
  json: boolean;
  context?: string;
  kubeconfig?: string;
  scenario?: string;
  'stub-image'?: string;
  namespace?: string;
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe:
    'Check the environment (containerd, runc, docker, kind, kubectl, k6, deno, root) and say how to fix it; with --context, an existing cluster too',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'print the checks as JSON' })
      .option('context', {
        type: 'string',
        describe: 'also look at this kubeconfig context (read-only): node runtimes, what you must set',
      })
      .option('kubeconfig', {
        type: 'string',
        describe: 'the kubeconfig file for --context (default $KUBECONFIG or ~/.kube/config)',
      })
      .option('scenario', {
        type: 'string',
        describe: 'with --context: say what this scenario file needs set on the nodes',
      })
      .option('stub-image', {
        type: 'string',
        describe: 'with --context: the stub image you will pass to run',
      })
      .option('namespace', {
        type: 'string',
        describe: 'with --context: check the permissions for run --namespace <ns> (an existing namespace)',
      }),
  handler: async (argv) => {
    const result = await doctor();
    const wantsCluster = argv.context !== undefined || argv.kubeconfig !== undefined;
    let cluster: Awaited<ReturnType<typeof doctorForContext>> | { error: string } | undefined;
    if (wantsCluster) {
      try {
        const { kc, id } = loadContext({
          ...(argv.context ? { context: argv.context } : {}),
          ...(argv.kubeconfig ? { kubeconfigPath: argv.kubeconfig } : {}),
        });
        const scenario = argv.scenario ? await loadScenarioFile(argv.scenario, scenarioContext()) : undefined;
        cluster = await doctorForContext(clientNodeApi(kc), id, {
          ...(scenario ? { scenario } : {}),
          ...(argv['stub-image'] ? { stubImage: argv['stub-image'] } : {}),
          ...(argv.namespace ? { namespace: argv.namespace } : {}),
        });
      } catch (error) {
        cluster = { error: `cluster check failed: ${describeError(error)}` };
      }
    }
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(cluster ? { ...result, cluster } : result, null, 2)}\n`);
    } else {
      process.stdout.write(formatDoctor(result));
      if (cluster) {
        process.stdout.write(`\n${'error' in cluster ? `${cluster.error}\n` : formatContextReport(cluster)}`);
      }
    }
    const refused = cluster !== undefined && !('error' in cluster) && cluster.access.missing.length > 0;
    if (!result.ready || (cluster && 'error' in cluster) || refused) process.exitCode = EXIT.harness;
  },
};
