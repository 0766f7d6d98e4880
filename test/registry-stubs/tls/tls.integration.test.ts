import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { get } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CertificateAuthority,
  type CertificateVariants,
  certificateVariants,
  createCertificateAuthority,
  issueCertificate,
  type LeafCertificate,
  WRONG_HOST,
  writeTlsFiles,
} from '../../../registry-stubs/tls/index.ts';

let ca: CertificateAuthority;
let variants: CertificateVariants;
let dir = '';
beforeAll(async () => {
  ca = await createCertificateAuthority();
  variants = await certificateVariants(ca, { hosts: ['localhost'], ips: ['127.0.0.1'] });
  dir = await mkdtemp(join(tmpdir(), 'pullstorm-tls-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A real TLS server on loopback presenting `leaf`; answers `ok` and closes. */
async function serve(leaf: LeafCertificate): Promise<{ port: number } & AsyncDisposable> {
  const server = tls.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (socket) => socket.end('ok'));
  server.on('tlsClientError', () => {}); // the client rejecting us is the point of most cases
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Connects trusting only our CA; by name sends SNI `localhost`, by IP checks the IP SANs. */
function connect(
  port: number,
  by: 'name' | 'ip',
): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      ca: ca.certPem,
      ...(by === 'name' ? { servername: 'localhost' } : {}),
    });
    socket.once('secureConnect', () => {
      socket.end();
      resolve({ ok: true });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      resolve({ ok: false, code: error.code ?? '', message: error.message });
    });
  });
}

describe('TLS variants against a real node:tls client', () => {
  it.each([
    ['valid', 'name', null],
    ['valid', 'ip', null],
    ['expired', 'name', /^CERT_HAS_EXPIRED$/],
    ['wrongName', 'name', /^ERR_TLS_CERT_ALTNAME_INVALID$/],
    ['noIpSan', 'name', null],
    ['noIpSan', 'ip', /^ERR_TLS_CERT_ALTNAME_INVALID$/],
    // The server sends the leaf only, as registries do; were the rogue root sent too, Node would
    // say SELF_SIGNED_CERT_IN_CHAIN instead.
    ['unknownCa', 'name', /^UNABLE_TO_VERIFY_LEAF_SIGNATURE$/],
  ] as const)('%s by %s', async (variant, by, expected) => {
    await using server = await serve(variants[variant]);
    const result = await connect(server.port, by);
    if (expected === null) expect(result).toEqual({ ok: true });
    else expect(result.ok ? 'ok' : result.code).toMatch(expected);
    if (variant === 'noIpSan' && !result.ok)
      expect(result.message).toContain('IP: 127.0.0.1 is not in the cert');
    if (variant === 'wrongName' && !result.ok) expect(result.message).toContain(WRONG_HOST);
  });

  it('serves HTTPS with the valid certificate', async () => {
    const server = (await import('node:https')).createServer(
      { cert: variants.valid.certPem, key: variants.valid.keyPem },
      (_req, res) => res.end('registry'),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/v2/', ca: ca.certPem, servername: 'localhost' }, (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(body).toBe('registry');
    } finally {
      server.close();
    }
  });
});

describe('certificate contents', () => {
  it('leaf: serverAuth, not a CA, SANs as asked, issued by the CA', () => {
    const leaf = new X509Certificate(variants.valid.certPem);
    const root = new X509Certificate(ca.certPem);
    expect(leaf.ca).toBe(false);
    expect(root.ca).toBe(true);
    expect(leaf.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
    expect(leaf.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(leaf.checkIssued(root)).toBe(true);
    expect(leaf.verify(root.publicKey)).toBe(true);
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(new X509Certificate(variants.noIpSan.certPem).subjectAltName).toBe('DNS:localhost');
    expect(new X509Certificate(variants.unknownCa.certPem).checkIssued(root)).toBe(false);
  });

  it('defaults: localhost, 127.0.0.1 and ::1, PKCS#8 key, CA named pullstorm CA', async () => {
    const leaf = await issueCertificate(ca);
    expect(new X509Certificate(leaf.certPem).subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(leaf.keyPem.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    expect(new X509Certificate(ca.certPem).subject).toContain('CN=pullstorm CA');
  });

  it('rejects bad options, every problem at once', async () => {
    await expect(
      issueCertificate(ca, {
        ips: ['not-an-ip'],
        notBefore: new Date(2000, 0, 2),
        notAfter: new Date(2000, 0, 1),
      }),
    ).rejects.toThrow(/not-an-ip.*notAfter/);
    await expect(issueCertificate(ca, { hosts: [], ips: [] })).rejects.toThrow(RangeError);
  });
});

describe('writeTlsFiles and openssl', () => {
  it('writes ca.crt, tls.crt, tls.key (0600) and a client dir with only ca.crt', async () => {
    const files = await writeTlsFiles(join(dir, 'valid'), { ca, leaf: variants.valid });
    expect((await stat(files.keyFile)).mode & 0o777).toBe(0o600);
    expect(await readdir(files.certDir)).toEqual(['ca.crt']);
    await execa('openssl', ['pkey', '-in', files.keyFile, '-noout']);
  });

  it.each([
    ['valid', true, /OK/],
    ['expired', false, /certificate has expired/],
    ['unknownCa', false, /unable to get local issuer certificate/],
  ] as const)('openssl verify -CAfile ca.crt on %s', async (variant, passes, output) => {
    const files = await writeTlsFiles(join(dir, variant), { ca, leaf: variants[variant] });
    const result = await execa('openssl', ['verify', '-CAfile', files.caFile, files.certFile], {
      reject: false,
    });
    expect(result.exitCode === 0).toBe(passes);
    expect(`${result.stdout}\n${result.stderr}`).toMatch(output);
  });
});
