import { createAdaptorServer } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryApp } from '../../../registry-stubs/app.ts';
import type { RegistryRequestEvent } from '../../../registry-stubs/events.ts';
import { createFrontDoor, deliverTo, refused } from '../../../registry-stubs/faults/net/index.ts';
import {
  type CertificateAuthority,
  type CertificateVariants,
  certificateVariants,
  createCertificateAuthority,
} from '../../../registry-stubs/tls/index.ts';
import { request } from './helpers.ts';

let ca: CertificateAuthority;
let variants: CertificateVariants;
beforeAll(async () => {
  ca = await createCertificateAuthority();
  variants = await certificateVariants(ca, { hosts: ['localhost'], ips: ['127.0.0.2'] });
});
const seen: RegistryRequestEvent[] = [];
// The registry's own server, never bound: the door is its only way in.
const server = createAdaptorServer({ fetch: createRegistryApp({ onRequest: (e) => seen.push(e) }).fetch });
afterAll(() => server.close());

describe('front door before the registry stub', () => {
  it('serves the Hono registry over TLS; the app sees the client address', async () => {
    await using door = await createFrontDoor({
      host: '127.0.0.2',
      tls: variants.valid,
      deliver: deliverTo(server),
    });
    const outcome = await request(`${door.url}/v2/`, { ca: ca.certPem });
    expect(outcome).toMatchObject({ ok: true, status: 200 });
    expect(seen.at(-1)).toMatchObject({ route: 'base', status: 200, client: '127.0.0.1' });
    const id = await door.faults.apply(refused());
    expect((await request(`${door.url}/v2/`, { ca: ca.certPem })).code).toBe('ECONNREFUSED');
    await door.faults.clear(id);
    expect((await request(`${door.url}/v2/`, { ca: ca.certPem })).status).toBe(200);
  });
});
