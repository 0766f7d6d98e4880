/**
 * The engine with front doors: one endpoint per node, each request knowing its endpoint, HTTP
 * faults scoped by node, and connection faults applied by name through the same engine.
 */
import { describe, expect, it } from 'vitest';
import { socketAddress } from '../../../registry-stubs/index.ts';
import { certificateVariants, createCertificateAuthority } from '../../../registry-stubs/tls/index.ts';
import { stub, tiny } from '../http/helpers.ts';
import { request } from '../net/helpers.ts';

const nodes = [
  { name: 'node-a', host: '127.0.0.2' },
  { name: 'node-b', host: '127.0.0.3' },
];
const manifest = `/v2/${tiny.repository}/manifests/1.0`;

describe('fault engine with front doors', () => {
  it('serves each endpoint at its own address; requests carry the endpoint; HTTP faults scope by node', async () => {
    await using s = await stub({ endpoints: nodes, clientAddress: socketAddress });
    const [a, b] = s.registry.endpoints;
    expect([a!.name, a!.host, b!.name, b!.host]).toEqual(['node-a', '127.0.0.2', 'node-b', '127.0.0.3']);
    expect(s.registry.url).toBe(a!.url);
    await s.registry.faults.apply({ fault: 'server-error', scope: { nodes: ['node-b'] } });
    expect((await request(`${a!.url}${manifest}`)).status).toBe(200);
    expect((await request(`${b!.url}${manifest}`)).status).toBe(500);
    expect(s.requests.map((r) => [r.endpoint, r.client, r.status, r.faults])).toEqual([
      ['node-a', '127.0.0.1', 200, undefined],
      ['node-b', '127.0.0.1', 500, ['server-error']],
    ]);
    expect(s.events.find((e) => e.kind === 'fault.hit')).toMatchObject({
      endpoint: 'node-b',
      fault: 'server-error',
    });
  });

  it('applies connection faults by name: refused on one node only, reported like HTTP faults', async () => {
    await using s = await stub({ endpoints: nodes });
    const [a, b] = s.registry.endpoints;
    const fault = await s.registry.faults.apply({ fault: 'refused', scope: { nodes: ['node-b'] } });
    expect((await request(`${b!.url}/v2/`)).code).toBe('ECONNREFUSED');
    expect((await request(`${a!.url}/v2/`)).status).toBe(200);
    expect(s.registry.faults.list()).toEqual([
      expect.objectContaining({
        id: fault.id,
        fault: 'refused',
        where: 'TCP layer',
        options: { existing: 'reset' },
      }),
    ]);
    await fault.clear();
    expect((await request(`${b!.url}/v2/`)).status).toBe(200);
    expect(s.events.map((e) => [e.kind, e.fault])).toEqual([
      ['fault.applied', 'refused'],
      ['fault.cleared', 'refused'],
    ]);
  });

  it('serves the TLS certificate faults from the certificate variants it was given', async () => {
    const ca = await createCertificateAuthority();
    const certificates = await certificateVariants(ca, { hosts: ['localhost'], ips: ['127.0.0.2'] });
    await using s = await stub({ endpoints: [nodes[0]!], tls: certificates.valid, certificates });
    const url = `${s.registry.url}/v2/`;
    expect((await request(url, { ca: ca.certPem })).status).toBe(200);
    const fault = await s.registry.faults.apply({ fault: 'tls-expired' });
    expect((await request(url, { ca: ca.certPem })).code).toBe('CERT_HAS_EXPIRED');
    await fault.clear();
    expect((await request(url, { ca: ca.certPem })).status).toBe(200);
  });

  it('a control listener beside the doors answers the control API while refused closes them', async () => {
    await expect(stub({ endpoints: [nodes[0]!], controlListener: {} })).rejects.toThrow(
      'controlListener: serves the control API, which needs controlToken; got no token',
    );
    await using s = await stub({ endpoints: [nodes[0]!], controlToken: 't', controlListener: {} });
    const control = s.registry.controlUrl!;
    expect(control).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const headers = { 'X-Pullstorm-Control-Token': 't' };
    await s.registry.faults.apply({ fault: 'refused', id: 'down' });
    expect((await request(`${s.registry.url}/_pullstorm/faults`)).code).toBe('ECONNREFUSED');
    const listed = await fetch(`${control}/_pullstorm/faults`, { headers });
    expect([listed.status, ((await listed.json()) as { faults: { id: string }[] }).faults[0]!.id]).toEqual([
      200,
      'down',
    ]);
    const elsewhere = await fetch(`${control}${manifest}`);
    expect([
      elsewhere.status,
      ((await elsewhere.json()) as { errors: { message: string }[] }).errors[0]!.message,
    ]).toEqual([
      404,
      `this is the registry's control listener: it serves /_pullstorm/faults and /_pullstorm/events only; registry requests go to ${s.registry.url}, got GET ${manifest}`,
    ]);
    expect((await fetch(`${control}/_pullstorm/faults`, { method: 'DELETE', headers })).status).toBe(200);
    expect((await request(`${s.registry.url}${manifest}`)).status).toBe(200);
    // Control calls are not registry requests, on either listener.
    expect(s.requests.map((r) => r.path)).toEqual([manifest]);
  });

  it('says what is missing when a connection fault cannot apply, and where its options are wrong', async () => {
    await using plain = await stub();
    await expect(plain.registry.faults.apply({ fault: 'refused' })).rejects.toMatchObject({
      code: 'FAULT_NOT_APPLICABLE',
      message:
        'fault: refused acts on connections, so the registry needs front doors: startRegistry({ endpoints: [{ name }] })',
    });
    await using doors = await stub({ endpoints: [nodes[0]!] });
    await expect(doors.registry.faults.apply({ fault: 'tls-unknown-ca' })).rejects.toMatchObject({
      code: 'FAULT_NOT_APPLICABLE',
      message:
        "fault: tls-unknown-ca serves the 'unknownCa' certificate variant, which this registry does not have; start the registry with certificates: certificateVariants()",
    });
    await expect(
      doors.registry.faults.apply({ fault: 'latency', options: { chunkMs: 5, chunkJitterMs: 9 } }),
    ).rejects.toThrow('options.chunkJitterMs: chunkJitterMs must be ≤ chunkMs (5), got 9');
    await expect(
      doors.registry.faults.apply({ fault: 'refused', scope: { probability: 0.5 } }),
    ).rejects.toThrow('scope.probability: refused cannot be limited by probability; it honours nodes');
  });
});
