/**
 * The one real-client check test/faults/engine/skopeo.test.ts lacks: TLS. skopeo (containers/image,
 * Go) trusts the registry's CA through `--cert-dir`; with tls-unknown-ca applied at the door it
 * refuses the certificate, and after clearing it pulls. Auth, 429 and a corrupted blob are proven
 * against skopeo there. Observed with skopeo 1.9.3: `Error parsing image name "docker://<ref>":
 * pinging container registry <host:port>: Get "https://<host:port>/v2/": x509: certificate signed
 * by unknown authority`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { classify } from '../../../harness/classify/classify.ts';
import { catalogueEntry } from '../../../registry-stubs/faults/catalogue.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';
import { certificateVariants, createCertificateAuthority } from '../../../registry-stubs/tls/index.ts';
import { withFault } from './helpers.ts';

const run = promisify(execFile);
let registry: RunningRegistry;
let certDir: string;
let image: string;

/** `skopeo inspect --raw` trusting only the test CA; never rejects. */
const inspect = () =>
  run('skopeo', ['--insecure-policy', 'inspect', '--raw', '--cert-dir', certDir, `docker://${image}`], {
    timeout: 30_000,
  }).then(
    (r) => ({ ok: true, out: r.stdout }),
    (e: { stderr?: string }) => ({ ok: false, out: e.stderr ?? '' }),
  );

beforeAll(async () => {
  const ca = await createCertificateAuthority();
  const certificates = await certificateVariants(ca, { hosts: ['localhost'], ips: ['127.0.0.1'] });
  certDir = await mkdtemp(join(tmpdir(), 'pullstorm-skopeo-'));
  await writeFile(join(certDir, 'ca.crt'), ca.certPem);
  registry = await startRegistry({
    images: fixtureImages({ include: ['tiny'] }),
    tls: certificates.valid,
    certificates,
    endpoints: [{ name: 'skopeo', host: '127.0.0.1' }],
  });
  image = `127.0.0.1:${registry.port}/pullstorm/tiny:1.0`;
});
afterAll(async () => {
  await Promise.allSettled([registry?.close(), certDir && rm(certDir, { recursive: true, force: true })]);
});

it('tls-unknown-ca: skopeo refuses the certificate, then pulls once it is cleared', async () => {
  expect((await inspect()).ok).toBe(true);
  const refused = await withFault(registry, { fault: 'tls-unknown-ca' }, inspect);
  expect(refused.ok).toBe(false);
  // skopeo logs through logrus, which escapes the quotes inside msg="…".
  expect(refused.out.replaceAll('\\"', '"')).toContain(
    `Error parsing image name "docker://${image}": pinging container registry 127.0.0.1:${registry.port}: Get "https://127.0.0.1:${registry.port}/v2/": x509: certificate signed by unknown authority`,
  );
  expect(catalogueEntry('tls-unknown-ca')!.expectedCauses).toContain(classify(refused.out).cause);
  expect((await inspect()).ok).toBe(true);
});
