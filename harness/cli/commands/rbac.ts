/**
 * `pullstorm rbac`: the minimal roles a user or CI identity needs to run pullstorm on an existing
 * cluster, as YAML for `kubectl apply -f -`. The same table (backends/kubeconfig/rbac.ts) is what
 * `pullstorm doctor --context` checks, so what this prints is exactly what the doctor asks for.
 */
import type { CommandModule } from 'yargs';
import { UsageError } from '../../../vocab/errors.ts';
import { renderRbac } from '../../backends/kubeconfig/rbac.ts';

interface RbacArgs {
  namespace?: string;
  subject?: string;
  name: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const rbacCommand: CommandModule<object, RbacArgs> = {
  command: 'rbac',
  describe:
    'Print the minimal ClusterRole/Role (YAML) a kubeconfig run needs — exactly what `doctor --context` checks',
  builder: (y) =>
    y
      .option('namespace', {
        type: 'string',
        describe:
          'for run --namespace <ns>: namespaced rules in a Role there (default: the run creates its own namespace, so they are cluster-wide)',
      })
      .option('subject', {
        type: 'string',
        describe: 'also print bindings for User:<name>, Group:<name> or ServiceAccount:<namespace>:<name>',
      })
      .option('name', { type: 'string', default: 'pullstorm', describe: 'name of the roles and bindings' })
      .example('$0 rbac --namespace team-a --subject Group:ci | kubectl apply -f -', ''),
  handler: (argv) => {
    for (const [flag, value] of [
      ['--namespace', argv.namespace],
      ['--name', argv.name],
    ] as const) {
      if (value !== undefined && !DNS_LABEL.test(value))
        throw new UsageError(`${flag}: expected a lower-case DNS label (a-z, 0-9, -), got '${value}'`);
    }
    try {
      process.stdout.write(
        renderRbac({
          name: argv.name,
          ...(argv.namespace ? { namespace: argv.namespace } : {}),
          ...(argv.subject ? { subject: argv.subject } : {}),
        }),
      );
    } catch (error) {
      if (error instanceof TypeError) throw new UsageError(error.message);
      throw error;
    }
  },
};
