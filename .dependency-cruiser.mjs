/**
 * The layering of pullstorm, written once. LAYERS lists the top-level modules from the bottom up: a
 * module may import only modules listed BELOW it (earlier in the list), never one above it. A total
 * order makes a cycle between top-level modules impossible; test/architecture/layers.test.ts cruises
 * the sources with this file and fails on any violation. There are no exceptions: code that needs a
 * module above it moves down (shared words go to `vocab/`), or the caller passes it in.
 * A new top-level folder must be given its place here, or every import into or out of it fails.
 * Run `npm run layers`
 * to see the violations outside the test.
 */

/** Bottom first. Each entry is a path prefix (a folder, or the one root file of `harness/`). */
export const LAYERS = [
  'vocab/', //              words the stub and the harness share: problems, cause ids, fault events, errors
  'harness/runtime.ts', //  which JavaScript runtime this is
  'registry-stubs/', //     the OCI registry stub and its fault engine; knows nothing of the harness
  'harness/scenario/', //   the scenario model: parse, validate, resolve (no I/O but reading the file)
  'harness/events/', //     every event type of the run log
  'harness/kubelet/', //    kubelet's image manager, rebuilt from its source
  'harness/classify/', //   failure texts → cause ids
  'harness/analyze/', //    event log → verdicts and measures
  'reports/', //            analysis → terminal, JSON, JUnit, HTML
  'harness/cluster/', //    the embedded cluster: pods and deployments over any ClusterNode
  'harness/containers/', // Docker images and containers (stub image, node image)
  'harness/doctor/', //     what the machine has
  'harness/mirrors/', //    real pull-through caches (distribution, nginx) as processes, their logs
  'harness/backends/', //   containerd/embedded, kind, kubeconfig, virtual: each provisions its own
  'harness/run/', //        the runner: backend-agnostic timeline, observation, analysis, teardown
  'harness/cli/', //        the commands
  'api/', //                the public API of the package (pullstorm, pullstorm/registry, pullstorm/vitest)
  'scripts/', //            setup and benchmarks
];

const literal = (s) => s.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const pattern = (prefixes) => `^(${prefixes.map(literal).join('|')})`;

/** The rules for an order of layers: nothing in a layer imports anything above it, and every file has a layer. */
export function layerRules(layers) {
  const upward = layers.slice(0, -1).map((layer, i) => ({
    name: `layer:${layer}`,
    comment: `${layer} may import only the layers below it in .dependency-cruiser.mjs`,
    severity: 'error',
    from: { path: pattern([layer]) },
    to: { path: pattern(layers.slice(i + 1)) },
  }));
  return [
    ...upward,
    {
      name: 'layer:unplaced',
      comment: 'every source file lives in a module that has a place in LAYERS',
      severity: 'error',
      from: { pathNot: pattern(layers) },
      to: { dependencyTypes: ['local'] },
    },
    {
      name: 'layer:unplaced-target',
      comment: 'every imported file lives in a module that has a place in LAYERS (package.json: the version)',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['local'], pathNot: [pattern(layers), '^package\\.json$'] },
    },
  ];
}

export default {
  forbidden: layerRules(LAYERS),
  options: {
    // Tests import across layers on purpose; the k6 scripts and built outputs are not the harness.
    exclude: { path: ['\\.test\\.ts$', '(^|/)node_modules/', '^scenarios/', '(^|/)dist/'] },
    doNotFollow: { path: ['node_modules'] },
    // Type-only imports are dependencies too: a layer must not need a type from above it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
  },
};
