/**
 * A distribution 2.8 image built here with no pull, for the container-mirror tests: `FROM scratch`
 * with Debian's `/usr/bin/docker-registry` (dynamically linked: its libc and loader come along, as
 * ldd lists them) and a /tmp, through pullstorm's one image builder. No config inside: the scenario's
 * `files` writes /etc/docker/registry/config.yml with `{{origin}}` filled in, as a user would for
 * `registry:2`.
 */
import { buildScratchImage } from '../../harness/containers/build.ts';
import { binaryRootfs } from '../../harness/containers/rootfs.ts';

/** Builds `pullstorm/test-distribution:<hash>` unless it exists; returns its name. */
export async function distributionImage(): Promise<string> {
  const files = await binaryRootfs('/usr/bin/docker-registry', '/usr/bin/docker-registry');
  const image = await buildScratchImage({
    repository: 'pullstorm/test-distribution',
    component: 'test-distribution',
    layers: [{ files, dirs: [{ path: '/tmp', mode: 0o1777 }] }],
    expose: [5000],
    entrypoint: ['/usr/bin/docker-registry', 'serve', '/etc/docker/registry/config.yml'],
  });
  return image.name;
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
