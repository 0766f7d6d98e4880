/**
 * `pullstorm faults`: the fault catalogue — where each fault acts, its options, and what each client
 * family sees: containerd (via kubelet) and containers/image (podman, skopeo, CRI-O).
 */
import type { CommandModule } from 'yargs';
import { CATALOGUE, type CatalogueEntry } from '../../../registry-stubs/faults/catalogue.ts';

interface FaultsArgs {
  json: boolean;
}

/** One catalogue entry as `--json` prints it: plain data, options as a list. */
export function describeEntry(entry: CatalogueEntry) {
  return {
    name: entry.name,
    where: entry.where,
    summary: entry.summary,
    options: Object.entries(entry.options).map(([name, o]) => ({
      name,
      type: o.type,
      ...(o.default !== undefined && { default: o.default }),
      ...(o.unit !== undefined && { unit: o.unit }),
      ...(o.required && { required: true }),
      doc: o.doc,
    })),
    scope: entry.scopeKeys,
    clientSees: entry.clientSees,
    ...(entry.clientSeesContainersImage !== undefined && {
      clientSeesContainersImage: entry.clientSeesContainersImage,
    }),
    expectedCauses: entry.expectedCauses,
    usualCause: entry.usualCause,
    remediation: entry.remediation,
    ...(entry.nodeOnly && { nodeOnly: true }),
  };
}

/** The catalogue as text, one block per fault. */
export function formatCatalogue(entries: readonly CatalogueEntry[] = CATALOGUE): string {
  return entries
    .map((entry) => {
      const e = describeEntry(entry);
      const options =
        e.options.length === 0
          ? ['  options: none']
          : [
              '  options:',
              ...e.options.map((o) => {
                const value = 'default' in o ? `=${JSON.stringify(o.default)}` : '';
                const unit = o.unit === undefined ? '' : ` ${o.unit}`;
                return `    ${o.name}${value} (${o.type}${unit}): ${o.doc}`;
              }),
            ];
      return [
        `${e.name} — ${e.where}${e.nodeOnly ? ' (applied by the runner at the node)' : ''}`,
        `  ${e.summary}`,
        ...options,
        `  scope: ${e.scope.join(', ') || 'none'}`,
        `  client sees (containerd): ${e.clientSees}`,
        `  client sees (podman/skopeo): ${e.clientSeesContainersImage ?? 'not proven against containers/image'}`,
        `  expected causes: ${e.expectedCauses.join(', ') || 'none (no error; seen by its effect)'}`,
        `  usual cause: ${e.usualCause}`,
        `  remediation: ${e.remediation}`,
      ].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

export const faultsCommand: CommandModule<object, FaultsArgs> = {
  command: 'faults',
  describe: 'List the fault catalogue: where each fault acts, its options and defaults, what a client sees',
  builder: (y) =>
    y.option('json', { type: 'boolean', default: false, describe: 'print the catalogue as JSON' }),
  handler: (argv) => {
    process.stdout.write(
      argv.json ? `${JSON.stringify(CATALOGUE.map(describeEntry), null, 2)}\n` : formatCatalogue(),
    );
  },
};
