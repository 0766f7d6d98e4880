import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CriError } from '../../../harness/backends/containerd/cri/errors.ts';
import {
  createVirtualNode,
  rfc3339,
  type VirtualHostsConfig,
} from '../../../harness/backends/virtual/index.ts';
import { startRegistry } from '../../../registry-stubs/index.ts';
import {
  type CertificateAuthority,
  type CertificateVariants,
  certificateVariants,
  createCertificateAuthority,
  type LeafCertificate,
  WRONG_HOST,
} from '../../../registry-stubs/tls/index.ts';
import { bundle } from './helpers.ts';

const tiny = [bundle('tiny')];
const head = (scheme: string, ns: string) => `Head "${scheme}://${ns}/v2/pullstorm/tiny/manifests/1.0"`;

/** The details of the CriError a pull of `pullstorm/tiny:1.0` from `ns` fails with. */
async function pullError(ns: string, hosts?: Record<string, VirtualHostsConfig>, extra: object = {}) {
  await using node = createVirtualNode({ name: 'vn-net', ...(hosts && { hosts }), ...extra });
  const ref = `${ns}/pullstorm/tiny:1.0`;
  const err = (await node.pullImage(ref).then(
    () => new Error('the pull succeeded'),
    (e: unknown) => e,
  )) as CriError;
  return {
    err,
    prefix: `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to do request: `,
  };
}

/** A TCP server on loopback that does `onSocket` with each connection; closed with every socket. */
async function tcpServer(onSocket: (s: Socket) => void): Promise<{ ns: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    onSocket(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    ns: `127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

describe('connection failures, rendered as Go prints them', () => {
  test('connection refused', async () => {
    const gone = await startRegistry();
    const ns = `${gone.host}:${gone.port}`;
    await gone.close();
    const { err, prefix } = await pullError(ns);
    expect(err.codeName).toBe('Unknown');
    expect(err.details).toBe(`${prefix}${head('http', ns)}: dial tcp ${ns}: connect: connection refused`);
  });

  test('reset before any response', async () => {
    const server = await tcpServer((s) => s.once('data', () => s.resetAndDestroy()));
    const { err, prefix } = await pullError(server.ns);
    await server.close();
    expect(err.details).toMatch(
      new RegExp(
        `^${literal(`${prefix}${head('http', server.ns)}`)}: read tcp 127\\.0\\.0\\.1:\\d+->${literal(server.ns)}: read: connection reset by peer$`,
      ),
    );
  });

  test('closed without a response: EOF', async () => {
    const server = await tcpServer((s) => s.once('data', () => s.end()));
    const { err, prefix } = await pullError(server.ns);
    await server.close();
    expect(err.details).toBe(`${prefix}${head('http', server.ns)}: EOF`);
  });

  test('TLS handshake that never completes: net/http: TLS handshake timeout', async () => {
    const server = await tcpServer(() => undefined);
    const hosts = { [server.ns]: { server: `https://${server.ns}` } };
    const { err, prefix } = await pullError(server.ns, hosts, { tlsHandshakeTimeoutMs: 150 });
    await server.close();
    expect(err.details).toBe(`${prefix}${head('https', server.ns)}: net/http: TLS handshake timeout`);
  });

  test('plain HTTP registry asked over TLS', async () => {
    await using stub = await startRegistry({ images: tiny });
    const ns = `${stub.host}:${stub.port}`;
    const { err, prefix } = await pullError(ns, { [ns]: { server: `https://${ns}` } });
    expect(err.details).toBe(
      `${prefix}${head('https', ns)}: http: server gave HTTP response to HTTPS client`,
    );
  });
});

describe('certificates, checked in Go order', () => {
  let ca: CertificateAuthority;
  let variants: CertificateVariants;
  beforeAll(async () => {
    ca = await createCertificateAuthority();
    variants = await certificateVariants(ca, { hosts: ['localhost'], ips: ['127.0.0.1'] });
  });
  afterAll(() => undefined);

  /** Serves tiny over TLS with `leaf`; `name` is how the node addresses it (IP or localhost). */
  async function tlsPull(leaf: LeafCertificate, options: { trust: boolean; name?: string }) {
    await using stub = await startRegistry({
      images: tiny,
      tls: { certPem: leaf.certPem, keyPem: leaf.keyPem },
    });
    const ns = `${options.name ?? stub.host}:${stub.port}`;
    const hosts = { [ns]: { server: `https://${ns}`, ...(options.trust && { caPem: ca.certPem }) } };
    await using node = createVirtualNode({ name: 'vn-tls', hosts });
    const ref = `${ns}/pullstorm/tiny:1.0`;
    const outcome = await node.pullImage(ref).catch((e: CriError) => e);
    const prefix = `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to do request: ${head('https', ns)}: tls: failed to verify certificate: x509: `;
    return { outcome, prefix };
  }

  test('trusted CA: the pull succeeds', async () => {
    const { outcome } = await tlsPull(variants.valid, { trust: true });
    expect(outcome).toMatchObject({ digest: bundle('tiny').root.digest });
  });

  test('no CA given: certificate signed by unknown authority', async () => {
    const { outcome, prefix } = await tlsPull(variants.valid, { trust: false });
    expect((outcome as CriError).details).toBe(`${prefix}certificate signed by unknown authority`);
  });

  test('expired: current time … is after NotAfter (even from an unknown CA, as Go checks dates first)', async () => {
    const { outcome, prefix } = await tlsPull(variants.expired, { trust: false });
    const after = rfc3339(variants.expired.notAfter);
    expect((outcome as CriError).details).toMatch(
      new RegExp(
        `^${literal(prefix)}certificate has expired or is not yet valid: current time \\S+Z is after ${literal(after)}$`,
      ),
    );
  });

  test('wrong DNS name: certificate is valid for …, not localhost', async () => {
    const { outcome, prefix } = await tlsPull(variants.wrongName, { trust: true, name: 'localhost' });
    expect((outcome as CriError).details).toBe(
      `${prefix}certificate is valid for ${WRONG_HOST}, not localhost`,
    );
  });

  test('IP address without IP SANs', async () => {
    const { outcome, prefix } = await tlsPull(variants.noIpSan, { trust: true });
    expect((outcome as CriError).details).toBe(
      `${prefix}cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs`,
    );
  });
});

function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
