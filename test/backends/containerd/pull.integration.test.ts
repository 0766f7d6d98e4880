/**
 * Real containerd pulling the fixture images from the real stub registry, over plain HTTP and
 * over HTTPS with a generated CA, through hosts.toml. Error texts asserted here were observed
 * with containerd 1.6.20 (Debian 1.6.20~ds1) and runc 1.1.5; they are evidence for FACTS.md:
 *
 * - unknown tag: NotFound, `failed to pull and unpack image "<ref>": failed to resolve reference
 *   "<ref>": <ref>: not found`
 * - index without linux/amd64: NotFound, `failed to pull and unpack image "<ref>": no match for
 *   platform in manifest: not found` (the tag resolves; there is no `failed to resolve` part).
 * - hosts.toml without a `[host]` table: ignored by 1.6 (`failed to decode hosts.toml`
 *   error="invalid `host` tree" in its log), falling back to http for 127.0.0.1; hosts.ts
 *   always writes one, and the last test checks containerd decoded every file.
 * - arm64-only image: the pull succeeds (what happens at start is in run.test.ts).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatKubeletPullError, isCriError } from '../../../harness/backends/containerd/cri/errors.ts';
import { type ContainerdNode, startContainerdNode } from '../../../harness/backends/containerd/node.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';
import type { ImageBundle } from '../../../registry-stubs/oci/types.ts';
import { createCertificateAuthority, issueCertificate } from '../../../registry-stubs/tls/index.ts';
import { containerdStatus, skipNote } from '../../helpers/containerd-status.ts';

const containerd = await containerdStatus();

// A smaller `large` keeps the suite quick; it is still multi-layer.
const images = fixtureImages({ largeSizeBytes: 2 * 1024 * 1024 });
const bundle = (name: string) => images.find((i) => i.repository === `pullstorm/${name}`)!;
const json = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes));

/** The image id containerd reports: the config digest of the linux/amd64 manifest. */
function expectedImageId(image: ImageBundle): string {
  const root = json(image.manifests[0]!.bytes);
  if (root.config) return root.config.digest;
  const child = root.manifests.find(
    (m: { platform?: { os: string; architecture: string } }) =>
      m.platform?.os === 'linux' && m.platform.architecture === 'amd64',
  );
  return json(image.manifests.find((m) => m.digest === child.digest)!.bytes).config.digest;
}

const disposers: (() => Promise<void>)[] = [];
let http: RunningRegistry;
let https: RunningRegistry;
let httpNode: ContainerdNode;
let httpsNode: ContainerdNode;

beforeAll(async () => {
  const ca = await createCertificateAuthority();
  const leaf = await issueCertificate(ca, { hosts: ['localhost'], ips: ['127.0.0.1'] });
  http = await startRegistry({ images });
  disposers.push(() => http.close());
  https = await startRegistry({ images, tls: { certPem: leaf.certPem, keyPem: leaf.keyPem } });
  disposers.push(() => https.close());
  const hostOf = (r: RunningRegistry) => `${r.host}:${r.port}`;
  const nodes = await Promise.allSettled([
    startContainerdNode({
      name: 'pull-http',
      registries: [{ host: hostOf(http), server: `http://${hostOf(http)}` }],
    }),
    startContainerdNode({
      name: 'pull-https',
      registries: [{ host: hostOf(https), server: `https://${hostOf(https)}`, caPem: ca.certPem }],
    }),
  ]);
  for (const n of nodes) if (n.status === 'fulfilled') disposers.push(() => n.value.stop());
  for (const n of nodes) if (n.status === 'rejected') throw n.reason;
  [httpNode, httpsNode] = nodes.map((n) => (n as PromiseFulfilledResult<ContainerdNode>).value) as [
    ContainerdNode,
    ContainerdNode,
  ];
});

afterAll(async () => {
  const results = await Promise.allSettled(disposers.reverse().map((d) => d()));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (errors.length) throw new AggregateError(errors, 'cleanup failed');
});

const pullable = ['tiny', 'arm64-only', 'multiarch', 'large'];

describe.skipIf(!containerd.available).each([
  { scheme: 'http', node: () => httpNode, registry: () => http },
  { scheme: 'https', node: () => httpsNode, registry: () => https },
])('CRI PullImage over $scheme via hosts.toml', ({ node, registry }) => {
  it.each(pullable)('pulls pullstorm/%s:1.0 with the expected refs and digests', async (name) => {
    const image = bundle(name);
    const repo = `${registry().host}:${registry().port}/${image.repository}`;
    const { imageRef } = await node().cri.pullImage(`${repo}:1.0`);
    expect(imageRef).toBe(expectedImageId(image));
    const status = await node().cri.imageStatus(`${repo}:1.0`);
    // multiarch's amd64 manifest is tiny's, so one image record carries both tags.
    expect(status?.id).toBe(imageRef);
    expect(status?.repoTags).toContain(`${repo}:1.0`);
    expect(status?.repoDigests).toContain(`${repo}@${image.root.digest}`);
  });

  it('fails an index without linux/amd64 with "no match for platform in manifest"', async () => {
    const ref = `${registry().host}:${registry().port}/pullstorm/no-amd64:1.0`;
    const err = await node()
      .cri.pullImage(ref)
      .catch((e: unknown) => e);
    expect(isCriError(err)).toBe(true);
    if (!isCriError(err)) return;
    expect(err.details).toContain('no match for platform in manifest');
    // Resolving the tag succeeds; the platform match fails afterwards, so no "failed to resolve".
    expect(`${err.codeName}: ${err.details}`).toBe(
      `NotFound: failed to pull and unpack image "${ref}": no match for platform in manifest: not found`,
    );
  });

  it('gives NotFound "<ref>: not found" for an unknown tag', async () => {
    const ref = `${registry().host}:${registry().port}/pullstorm/tiny:no-such-tag`;
    const err = await node()
      .cri.pullImage(ref)
      .catch((e: unknown) => e);
    expect(isCriError(err, 'NotFound')).toBe(true);
    if (!isCriError(err)) return;
    const details = `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
    expect(err.details).toBe(details);
    // What kubelet ≥ 1.28 shows: NotFound keeps its gRPC prefix.
    expect(formatKubeletPullError(err)).toBe(`rpc error: code = NotFound desc = ${details}`);
  });
});

it.skipIf(!containerd.available)(
  `containerd decoded every generated hosts.toml${skipNote(containerd)}`,
  async () => {
    for (const node of [httpNode, httpsNode]) {
      expect(await readFile(node.logFile, 'utf8')).not.toContain('failed to decode hosts.toml');
    }
  },
);

it.skipIf(!containerd.available)(
  `fills a size-limited tmpfs root: "no space left on device", code Unknown${skipNote(containerd)}`,
  async () => {
    const host = `${http.host}:${http.port}`;
    await using small = await startContainerdNode({
      name: 'pull-full',
      rootTmpfsBytes: 1024 * 1024, // smaller than pullstorm/large (2 MiB of incompressible layers)
      registries: [{ host, server: `http://${host}` }],
    });
    const ref = `${host}/pullstorm/large:1.0`;
    const err = await small.cri.pullImage(ref).catch((e: unknown) => e);
    expect(isCriError(err, 'Unknown')).toBe(true);
    // Download-time: `failed to copy: write <root>/io.containerd.content.v1.content/ingest/<x>/data:
    // no space left on device`; unpack-time: `failed to extract layer sha256:…: … no space left on
    // device: unknown`; also seen: `write <root>/…/ingest/<x>/total: no space left on device` (the
    // ingest's bookkeeping file). Which one depends on how far the concurrent downloads got.
    expect(isCriError(err) && err.details).toMatch(
      new RegExp(
        `^failed to pull and unpack image "${ref}": (failed to copy: write |write |failed to extract layer sha256:).*no space left on device`,
      ),
    );
  },
);
