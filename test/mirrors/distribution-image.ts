/**
 * A distribution 2.8 image built here with no pull, for the container-mirror tests: `FROM scratch`
 * with Debian's `/usr/bin/docker-registry` (dynamically linked: its libc and loader come along, as
 * ldd lists them) and a /tmp. No config inside: the scenario's `files` writes
 * /etc/docker/registry/config.yml with `{{origin}}` filled in, as a user would for `registry:2`.
 */
import { createHash } from 'node:crypto';
import {
  buildFromContext,
  fileHash,
  imageExists,
  rootfsEntries,
  withParentDirs,
} from '../../harness/containers/build.ts';
import { LABEL_COMPONENT, LABEL_PULLSTORM } from '../../harness/containers/labels.ts';
import { binaryRootfs } from '../../harness/containers/rootfs.ts';
import { tarStream } from '../../harness/containers/tar.ts';

const DOCKERFILE = `FROM scratch
COPY rootfs/ /
LABEL ${LABEL_PULLSTORM}="true" ${LABEL_COMPONENT}="test-distribution"
EXPOSE 5000
ENTRYPOINT ["/usr/bin/docker-registry"]
CMD ["serve", "/etc/docker/registry/config.yml"]
`;

/** Builds `pullstorm/test-distribution:<hash>` unless it exists; returns its name. */
export async function distributionImage(): Promise<string> {
  const files = await binaryRootfs('/usr/bin/docker-registry', '/usr/bin/docker-registry');
  const hash = createHash('sha256').update(DOCKERFILE);
  for (const f of files) hash.update(`\n${f.target}\n${await fileHash(f.source)}`);
  const name = `pullstorm/test-distribution:${hash.digest('hex').slice(0, 16)}`;
  if (await imageExists(name)) return name;
  const entries = [
    { type: 'dir' as const, path: 'rootfs/tmp', mode: 0o1777 },
    ...(await rootfsEntries(files)),
  ];
  await buildFromContext(
    name,
    tarStream([
      {
        type: 'file',
        path: 'Dockerfile',
        mode: 0o644,
        size: Buffer.byteLength(DOCKERFILE),
        content: DOCKERFILE,
      },
      ...withParentDirs(entries),
    ]),
  );
  return name;
}

/** distribution's config.yml in proxy mode; `{{origin}}` is filled in by the harness. */
export const DISTRIBUTION_PROXY_CONFIG = `version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: 0.0.0.0:5000
  secret: pullstorm-test
proxy:
  remoteurl: "{{origin}}"
`;
