/**
 * `pullstorm image build [--tag <ref>]`: builds the registry stub image locally (no pull: `FROM
 * scratch` plus Node and the bundled CLI, harness/containers/stub-image.ts) and says how to get it to
 * a cluster's nodes — the kubeconfig backend runs it there from `--stub-image` (the lead wires that
 * flag into `pullstorm run`).
 */
import type { CommandModule } from 'yargs';
import { UsageError } from '../../../vocab/errors.ts';
import { dockerClient } from '../../containers/docker.ts';
import { buildStubImage, type StubImage } from '../../containers/stub-image.ts';

interface BuildArgs {
  force: boolean;
  tag?: string;
  json: boolean;
}

/** `repo[:tag]` split, with `latest` for a missing tag (a port's colon is not a tag). */
export function splitReference(ref: string): { repo: string; tag: string } {
  if (/@|\s/.test(ref) || !/^[a-z0-9][a-z0-9._\-/:]*$/.test(ref)) {
    throw new UsageError(
      `--tag: expected an image reference like registry.example:5000/pullstorm/stub:v1 (no digest), got '${ref}'`,
    );
  }
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash
    ? { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) }
    : { repo: ref, tag: 'latest' };
}

/** What to do next with `name` (the built image, or its extra tag). */
export function nextSteps(name: string): string[] {
  return [
    `To run the stub in a cluster (a scenario with backend.type: kubeconfig), get ${name} to its nodes:`,
    '  push it to a registry the nodes can pull from:',
    `    docker tag ${name} <registry>/pullstorm/stub:<tag> && docker push <registry>/pullstorm/stub:<tag>`,
    '  or load it straight into local cluster nodes:',
    `    kind load docker-image ${name} --name <cluster>`,
    `    k3d image import ${name} --cluster <cluster>`,
    `    minikube image load ${name}`,
    `  then: pullstorm run <scenario> --stub-image <the reference the nodes pull>`,
    '  (with kind or k3d loading, the reference stays as is; the stub pod uses imagePullPolicy IfNotPresent)',
  ];
}

const buildCommand: CommandModule<object, BuildArgs> = {
  command: 'build',
  describe: 'Build the registry stub image (pullstorm/stub:<content hash>) and print how to push or load it',
  builder: (y) =>
    y
      .option('force', { type: 'boolean', default: false, describe: 'rebuild even when the tag exists' })
      .option('tag', {
        type: 'string',
        describe: 'also tag it as this reference, e.g. registry.example/pullstorm/stub:v1',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' }),
  handler: async (argv) => {
    const extra = argv.tag ? splitReference(argv.tag) : undefined;
    const image: StubImage = await buildStubImage({ force: argv.force });
    if (extra) {
      const docker = (await dockerClient()).container.dockerode;
      await docker.getImage(image.name).tag(extra);
    }
    const name = argv.tag ?? image.name;
    if (argv.json) {
      process.stdout.write(
        `${JSON.stringify({ ...image, ...(argv.tag ? { tag: argv.tag } : {}) }, null, 2)}\n`,
      );
      return;
    }
    const how = image.built
      ? `built in ${(image.durationMs / 1000).toFixed(1)} s`
      : 'already present, reused';
    process.stdout.write(
      `${image.name} (${how})${argv.tag ? `, tagged ${argv.tag}` : ''}\n${nextSteps(name).join('\n')}\n`,
    );
  },
};

/** The `image build` command group, for the CLI's command list. */
export const imageCommand: CommandModule = {
  command: 'image <command>',
  describe: 'Container images pullstorm uses (the registry stub)',
  builder: (y) => y.command(buildCommand).demandCommand(1, 'expected a subcommand: build'),
  handler: () => undefined,
};
