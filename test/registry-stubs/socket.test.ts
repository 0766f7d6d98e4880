import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { digestOf } from '../../registry-stubs/digest.ts';
import type { RegistryRequestEvent } from '../../registry-stubs/events.ts';
import { startRegistry } from '../../registry-stubs/index.ts';
import { MediaType } from '../../registry-stubs/oci/types.ts';
import { createCertificateAuthority, issueCertificate } from '../../registry-stubs/tls/index.ts';
import { blob, describe as descriptorOf, smallImage } from './helpers.ts';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe('startRegistry over a socket', () => {
  test('push and pull a blob and a manifest with fetch, then close', async () => {
    const events: RegistryRequestEvent[] = [];
    const registry = await startRegistry({ onRequest: (e) => events.push(e) });
    expect(registry.host).toBe('127.0.0.1');
    expect(registry.port).toBeGreaterThan(0);
    expect(registry.url).toBe(`http://127.0.0.1:${registry.port}`);
    const { config, layer, manifest } = smallImage('socket');
    for (const content of [config, layer]) {
      const start = await fetch(`${registry.url}/v2/team/app/blobs/uploads/`, { method: 'POST' });
      expect(start.status).toBe(202);
      const location = new URL(start.headers.get('Location')!, registry.url);
      location.searchParams.set('digest', content.digest);
      const put = await fetch(location, { method: 'PUT', body: content.bytes as Uint8Array<ArrayBuffer> });
      expect(put.status).toBe(201);
    }
    const put = await fetch(`${registry.url}/v2/team/app/manifests/v1`, {
      method: 'PUT',
      body: manifest.bytes as Uint8Array<ArrayBuffer>,
      headers: { 'Content-Type': MediaType.ociManifest },
    });
    expect(put.status).toBe(201);
    const got = await fetch(`${registry.url}/v2/team/app/manifests/v1`, {
      headers: { Accept: MediaType.ociManifest },
    });
    expect(got.headers.get('Docker-Content-Digest')).toBe(manifest.digest);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(manifest.bytes);
    const pulled = new Uint8Array(
      await (await fetch(`${registry.url}/v2/team/app/blobs/${layer.digest}`)).arrayBuffer(),
    );
    expect(digestOf(pulled)).toBe(layer.digest);
    await registry.close();
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
    expect(events.every((e) => e.client === '127.0.0.1')).toBe(true);
    expect(events.find((e) => e.route === 'blob' && e.method === 'GET')?.bytes).toBe(layer.bytes.byteLength);
  });

  test('images are seeded (references unchecked) before listening; disk blobs stream intact', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pullstorm-socket-'));
    roots.push(root);
    const big = blob(Uint8Array.from({ length: 5 * 1024 * 1024 + 17 }, (_, i) => (i * 31) & 255));
    const config = blob('{"architecture":"amd64","os":"linux"}', MediaType.ociConfig);
    const { manifest } = smallImage();
    const image = {
      repository: 'seeded/big',
      tag: 'v1',
      root: descriptorOf(manifest),
      manifests: [manifest],
      blobs: [big, config],
      description: 'socket test',
    };
    await using registry = await startRegistry({ storage: { kind: 'disk', root }, images: [image] });
    const res = await fetch(`${registry.url}/v2/seeded/big/blobs/${big.digest}`);
    expect(res.headers.get('Content-Length')).toBe(String(big.bytes.byteLength));
    expect(digestOf(new Uint8Array(await res.arrayBuffer()))).toBe(big.digest);
    const ranged = await fetch(`${registry.url}/v2/seeded/big/blobs/${big.digest}`, {
      headers: { Range: 'bytes=100-199' },
    });
    expect(ranged.status).toBe(206);
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(big.bytes.subarray(100, 200));
    expect((await fetch(`${registry.url}/v2/seeded/big/manifests/v1`, { method: 'HEAD' })).status).toBe(200);
  });

  test('close() ends idle keep-alive connections promptly', async () => {
    const registry = await startRegistry();
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      httpRequest(`${registry.url}/v2/`, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    const started = performance.now();
    await registry.close();
    expect(performance.now() - started).toBeLessThan(1000);
    agent.destroy();
  });

  test('a port in use is a rejected start, not a crash', async () => {
    await using first = await startRegistry();
    await expect(startRegistry({ port: first.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  test('serves HTTPS with PEMs from the TLS helper', async () => {
    const ca = await createCertificateAuthority();
    const leaf = await issueCertificate(ca, { hosts: ['localhost'], ips: ['127.0.0.1'] });
    await using registry = await startRegistry({ tls: { certPem: leaf.certPem, keyPem: leaf.keyPem } });
    expect(registry.url).toBe(`https://127.0.0.1:${registry.port}`);
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      httpsRequest(`${registry.url}/v2/`, { ca: ca.certPem }, (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    expect(body).toBe('{}');
  });
});
