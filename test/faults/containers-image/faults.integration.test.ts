/**
 * Every HTTP and TLS fault of the catalogue against the second client family, containers/image
 * (skopeo 1.9.3 and podman 4.3.1 from Debian 12): each client pulls through a TLS registry with
 * token auth while the fault is applied, must fail (or not, for the faults that show no error) with
 * the text the catalogue records in `clientSeesContainersImage`, and that text must classify as one
 * of the fault's expected causes. Set PULLSTORM_RECORD_CLIENT_TEXTS=<file> to write what each
 * client printed, the way the catalogue's texts were collected.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../../harness/classify/classify.ts';
import { catalogueEntry } from '../../../registry-stubs/faults/catalogue.ts';
import type { FaultSpec } from '../../../registry-stubs/faults/engine.ts';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { type RunningRegistry, startRegistry } from '../../../registry-stubs/index.ts';
import { certificateVariants, createCertificateAuthority } from '../../../registry-stubs/tls/index.ts';
import { available, type ClientRun, podmanPull, skopeoPull } from './clients.ts';

const clients = { skopeo: skopeoPull, podman: podmanPull } as const;
type Client = keyof typeof clients;
const ready = { skopeo: await available('skopeo'), podman: await available('podman') };

interface Case {
  fault: string;
  options?: Record<string, unknown>;
  /** What the client prints (stderr), as a pattern; undefined when the pull succeeds. */
  sees?: RegExp;
  /** Credentials to offer; default anonymous. */
  creds?: string;
  /** Host name to pull through instead of 127.0.0.1. */
  via?: string;
  /** Pulls that must succeed under the fault first (to use up a quota). */
  warmUp?: number;
  /** Clients this case runs with; default both. */
  only?: Client[];
  /** Clients that may exit 0 although they print the error (a client bug, not a pass). */
  exitsZero?: Client[];
}

const cases: Case[] = [
  {
    fault: 'auth-no-credentials',
    sees: /reading manifest 1\.0 in \S+: errors:(?:\\n|\s)+denied: requested access to the resource is denied/,
  },
  {
    fault: 'auth-bad-credentials',
    creds: 'ci:pw',
    sees: /unable to retrieve auth token: invalid username\/password: unauthorized: invalid username or password/,
  },
  {
    fault: 'auth-token-endpoint',
    sees: /Requesting bearer token: invalid status code from registry 503 \(Service Unavailable\)/,
  },
  // containers/image asks for a new token for every pull, so a short expires_in never bites.
  { fault: 'auth-token-expiry', options: { expiresInSeconds: 1 } },
  {
    fault: 'auth-insufficient-scope',
    sees: /errors:(?:\\n|\s)+denied: requested access to the resource is denied(?:\\n|\s)+unauthorized: token does not grant pull/,
  },
  {
    fault: 'auth-challenge-error',
    sees: /errors:(?:\\n|\s)+unauthorized: authentication required(?:\\n|\s)+unauthorized: bearer token is invalid or expired/,
  },
  {
    fault: 'rate-limit',
    options: { limit: 1 },
    warmUp: 1,
    // podman 4.3.1 against token auth prints two rounds of `Failed, retrying in 1s ... (n/3)` with
    // this text and then exits 0 without the image; skopeo retries for about 30 s, then fails.
    exitsZero: ['podman'],
    sees: /reading manifest 1\.0 in \S+: toomanyrequests: You have reached your pull rate limit/,
  },
  { fault: 'unknown-tag', sees: /reading manifest 1\.0 in \S+: manifest unknown: manifest '1\.0' not found/ },
  { fault: 'missing-blob', sees: /Error fetching blob: invalid status code from registry 404 \(Not Found\)/ },
  {
    fault: 'corrupt-blob',
    sees: /Digest did not match, expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}|digest sha256:[0-9a-f]{64} does not match expected sha256:[0-9a-f]{64}/,
  },
  { fault: 'truncated-blob', sees: /(?:happened during read|parsing image configuration): unexpected EOF/ },
  {
    fault: 'wrong-length',
    sees: /Digest did not match, expected|does not match expected|unexpected EOF/,
  },
  { fault: 'tag-overwrite' },
  {
    fault: 'wrong-platform',
    sees: /no image found in image index for architecture amd64, variant "", OS linux/,
  },
  { fault: 'wrong-arch' },
  {
    fault: 'server-error',
    sees: /pinging container registry \S+: invalid status code from registry 500 \(Internal Server Error\)/,
  },
  {
    fault: 'registry-down',
    sees: /pinging container registry \S+: invalid status code from registry 503 \(Service Unavailable\)/,
  },
  {
    fault: 'tls-unknown-ca',
    sees: /Get "https:\/\/\S+\/v2\/": x509: certificate signed by unknown authority/,
  },
  {
    fault: 'tls-expired',
    sees: /x509: certificate has expired or is not yet valid: current time \S+ is after \S+/,
  },
  {
    fault: 'tls-wrong-host',
    via: 'localhost',
    sees: /x509: certificate is valid for wrong\.pullstorm\.invalid, not localhost/,
  },
  {
    fault: 'tls-no-ip-san',
    sees: /x509: cannot validate certificate for 127\.0\.0\.1 because it doesn't contain any IP SANs/,
  },
  {
    fault: 'tls-plain-http',
    sees: /Get "https:\/\/\S+\/v2\/": http: server gave HTTP response to HTTPS client/,
  },
  // podman retries a handshake timeout three times and outlasts the stall; skopeo gives up at once.
  {
    fault: 'tls-stall',
    options: { maxStallMs: 60_000 },
    sees: /pinging container registry \S+: Get "https:\/\/\S+\/v2\/": net\/http: TLS handshake timeout/,
    only: ['skopeo'],
  },
];

const recorded: Record<string, Partial<Record<Client, string>>> = {};
let registry: RunningRegistry;
let certDir: string;

beforeAll(async () => {
  const ca = await createCertificateAuthority();
  const certificates = await certificateVariants(ca, { hosts: ['localhost'], ips: ['127.0.0.1'] });
  certDir = await mkdtemp(join(tmpdir(), 'pullstorm-ca-'));
  await writeFile(join(certDir, 'ca.crt'), ca.certPem);
  registry = await startRegistry({
    images: fixtureImages({ include: ['tiny', 'multiarch'] }),
    tls: certificates.valid,
    certificates,
    endpoints: [{ name: 'client', host: '127.0.0.1' }],
    auth: {
      mode: 'token',
      users: [{ username: 'ci', password: 'pw', access: [{ repository: 'pullstorm/*', actions: ['pull'] }] }],
      anonymous: [{ repository: 'pullstorm/*', actions: ['pull'] }],
    },
  });
});
afterAll(async () => {
  const file = process.env.PULLSTORM_RECORD_CLIENT_TEXTS;
  if (file !== undefined && file !== '') await writeFile(file, JSON.stringify(recorded, null, 2));
  await Promise.allSettled([registry?.close(), certDir && rm(certDir, { recursive: true, force: true })]);
});

async function pullUnder(c: Case, client: Client): Promise<ClientRun> {
  const ref = `${c.via ?? '127.0.0.1'}:${registry.port}/pullstorm/tiny:1.0`;
  const spec: FaultSpec = { fault: c.fault, ...(c.options !== undefined && { options: c.options }) };
  const fault = await registry.faults.apply(spec);
  try {
    const options = { certDir, timeoutMs: 90_000, ...(c.creds !== undefined && { creds: c.creds }) };
    for (let i = 0; i < (c.warmUp ?? 0); i++) expect((await clients[client](ref, options)).ok).toBe(true);
    return await clients[client](ref, options);
  } finally {
    await fault.clear();
  }
}

describe.each(['skopeo', 'podman'] as const)('containers/image client %s', (client) => {
  const mine = cases.filter((c) => c.only === undefined || c.only.includes(client));
  it.skipIf(!ready[client]).each(mine)(
    '$fault: shows the catalogued text, classified as an expected cause',
    { timeout: 120_000 },
    async (c) => {
      const run = await pullUnder(c, client);
      recorded[c.fault] = { ...recorded[c.fault], [client]: run.out === '' ? '(no error)' : run.out };
      if (c.sees === undefined) {
        expect(run, run.out).toMatchObject({ ok: true });
        return;
      }
      if (!c.exitsZero?.includes(client)) expect(run.ok).toBe(false);
      expect(run.out).toMatch(c.sees);
      expect(catalogueEntry(c.fault as never)!.expectedCauses).toContain(classify(run.out).cause);
    },
  );
});

// containers/image answers a Basic challenge with `Authorization: Basic Og==` (empty user and
// password) when it has no credentials; the stub once took that for credentials and let podman pull.
describe('auth-no-credentials on a registry without auth', () => {
  it.skipIf(!ready.podman || !ready.skopeo)(
    "refuses podman's and skopeo's empty Basic credentials, then lets them pull once cleared",
    { timeout: 120_000 },
    async () => {
      await using plain = await startRegistry({ images: fixtureImages({ include: ['tiny'] }) });
      const ref = `127.0.0.1:${plain.port}/pullstorm/tiny:1.0`;
      const fault = await plain.faults.apply({ fault: 'auth-no-credentials' });
      const refused = { podman: await podmanPull(ref), skopeo: await skopeoPull(ref) };
      await fault.clear();
      for (const run of Object.values(refused)) {
        expect(run.ok).toBe(false);
        expect(run.out).toMatch(/reading manifest 1\.0 in \S+: unauthorized"?$/);
        expect(classify(run.out).cause).toBe('unauthorized');
      }
      expect((await podmanPull(ref)).ok).toBe(true);
      expect((await skopeoPull(ref)).ok).toBe(true);
    },
  );
});
