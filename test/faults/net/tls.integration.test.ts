import { once } from 'node:events';
import { rm, writeFile } from 'node:fs/promises';
import { Agent, get } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type NetFaultEvent,
  tlsExpired,
  tlsNoIpSan,
  tlsPlainHttp,
  tlsStall,
  tlsUnknownCa,
  tlsWrongHost,
} from '../../../registry-stubs/faults/net/index.ts';
import {
  type CertificateAuthority,
  type CertificateVariants,
  certificateVariants,
  createCertificateAuthority,
} from '../../../registry-stubs/tls/index.ts';
import { blobServer, curl, doorFor, eventsOf, request } from './helpers.ts';

const server = blobServer();
afterAll(async () => {
  server.close();
  await rm(caFile, { force: true });
});
let ca: CertificateAuthority;
let variants: CertificateVariants;
let caFile = '';
beforeAll(async () => {
  ca = await createCertificateAuthority();
  variants = await certificateVariants(ca, { hosts: ['localhost'], ips: ['127.0.0.1'] });
  caFile = join(tmpdir(), `pullstorm-net-ca-${process.pid}.pem`);
  await writeFile(caFile, ca.certPem);
});

describe('TLS certificate faults', () => {
  const cases = [
    {
      name: 'tls-unknown-ca',
      make: () => tlsUnknownCa({ certificate: variants.unknownCa }),
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      curl: /unable to get local issuer certificate/,
    },
    {
      name: 'tls-expired',
      make: () => tlsExpired({ certificate: variants.expired }),
      code: 'CERT_HAS_EXPIRED',
      curl: /certificate has expired/,
    },
    {
      name: 'tls-wrong-host',
      make: () => tlsWrongHost({ certificate: variants.wrongName }),
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      curl: /subject name|does not match/,
    },
    {
      name: 'tls-no-ip-san',
      make: () => tlsNoIpSan({ certificate: variants.noIpSan }),
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      curl: /subject name|does not match/,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: Node ${c.code}, curl exit 60; clearing restores`, async () => {
      await using door = await doorFor(server, { tls: variants.valid });
      const id = await door.faults.apply(c.make());
      // By name for the wrong-host case (SNI/identity `localhost`), by IP for the rest.
      const servername = c.name === 'tls-wrong-host' ? 'localhost' : undefined;
      const outcome = await request(`${door.url}/`, { ca: ca.certPem, servername });
      expect(outcome).toMatchObject({ ok: false, code: c.code });
      const result = await curl(
        c.name === 'tls-wrong-host' ? `https://localhost:${door.port}/` : `${door.url}/`,
        [
          '--cacert',
          caFile,
          ...(c.name === 'tls-wrong-host' ? ['--resolve', `localhost:${door.port}:127.0.0.1`] : []),
        ],
      );
      expect(result.exitCode).toBe(60);
      expect(result.stderr).toMatch(c.curl);
      await door.faults.clear(id);
      expect(await request(`${door.url}/`, { ca: ca.certPem, servername })).toMatchObject({
        ok: true,
        status: 200,
      });
    });
  }

  it('applies to new connections only: an open keep-alive connection keeps working', async () => {
    await using door = await doorFor(server, { tls: variants.valid });
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: ca.certPem });
    const viaAgent = () =>
      new Promise<boolean>((resolve, reject) => {
        const req = get(`${door.url}/`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(req.reusedSocket));
        });
        req.on('error', reject);
      });
    expect(await viaAgent()).toBe(false);
    await door.faults.apply(tlsExpired({ certificate: variants.expired }));
    expect(await viaAgent()).toBe(true);
    expect((await request(`${door.url}/`, { ca: ca.certPem })).code).toBe('CERT_HAS_EXPIRED');
    agent.destroy();
  });

  it('hits only TLS doors and honours maxCount', async () => {
    const events: NetFaultEvent[] = [];
    await using plain = await doorFor(server, {}, events);
    await plain.faults.apply(tlsExpired({ certificate: variants.expired }));
    expect((await request(`${plain.url}/`)).ok).toBe(true);
    expect(eventsOf(events, 'fault.hit')).toEqual([]);
    await using door = await doorFor(server, { tls: variants.valid });
    await door.faults.apply(tlsExpired({ certificate: variants.expired, maxCount: 1 }));
    expect((await request(`${door.url}/`, { ca: ca.certPem })).code).toBe('CERT_HAS_EXPIRED');
    expect((await request(`${door.url}/`, { ca: ca.certPem })).ok).toBe(true);
  });

  it('reports which certificate it serves, never the key', () => {
    const fault = tlsExpired({ certificate: variants.expired });
    expect(fault.options).toMatchObject({ subjectAltName: 'DNS:localhost, IP Address:127.0.0.1' });
    expect(JSON.stringify(fault.options)).not.toContain('PRIVATE KEY');
    expect(() => tlsExpired({} as never)).toThrow(
      'tls-expired: certificate must be { certPem, keyPem } strings, got undefined',
    );
  });
});

describe('tls-plain-http', () => {
  it('answers a TLS client in plain HTTP: Node EPROTO (wrong version number), curl exit 35', async () => {
    await using door = await doorFor(server, { tls: variants.valid });
    const id = await door.faults.apply(tlsPlainHttp());
    const outcome = await request(`${door.url}/`, { ca: ca.certPem });
    expect(outcome.code).toBe('EPROTO');
    expect(outcome.message).toMatch(/wrong version number/);
    const result = await curl(`${door.url}/`, ['--cacert', caFile]);
    expect(result.exitCode).toBe(35);
    expect(result.stderr).toMatch(/wrong version number/);
    // Go reports `http: server gave HTTP response to HTTPS client` when the first five bytes
    // answering its ClientHello are `HTTP/`: check exactly that on the wire.
    const socket = connect({ host: '127.0.0.1', port: door.port });
    socket.write(Buffer.from('160301002e0100002a0303', 'hex'));
    const [first] = (await once(socket, 'data')) as [Buffer];
    socket.destroy();
    expect(first.toString('latin1')).toMatch(/^HTTP\/1\.1 400 /);
    await door.faults.clear(id);
    expect((await request(`${door.url}/`, { ca: ca.certPem })).ok).toBe(true);
  });
});

describe('tls-stall', () => {
  it('never completes the handshake: the client times out; clearing lets held handshakes finish', async () => {
    await using door = await doorFor(server, { tls: variants.valid });
    const id = await door.faults.apply(tlsStall());
    expect(await request(`${door.url}/`, { ca: ca.certPem, timeoutMs: 500 })).toMatchObject({
      ok: false,
      code: 'CLIENT_TIMEOUT',
    });
    const result = await curl(`${door.url}/`, ['--cacert', caFile, '--connect-timeout', '1']);
    expect(result.exitCode).toBe(28);
    const held = request(`${door.url}/`, { ca: ca.certPem, timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 200));
    await door.faults.clear(id);
    expect(await held).toMatchObject({ ok: true, status: 200 });
  });
});
