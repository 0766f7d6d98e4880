import { describe, expect, it } from 'vitest';
import { fixtureImages } from '../../../registry-stubs/fixtures/catalogue.ts';
import { stub, tiny } from './helpers.ts';

describe('wrong-arch', () => {
  it('serves the arm64-only manifest under the amd64 tag: the pull works, the config says arm64', async () => {
    await using s = await stub();
    const arm64 = fixtureImages({ include: ['arm64-only'] })[0]!;
    const fault = await s.registry.faults.apply({
      fault: 'wrong-arch',
      scope: { repository: tiny.repository },
    });
    const { res, text } = await s.call(`/v2/${tiny.repository}/manifests/1.0`);
    expect(res.headers.get('docker-content-digest')).toBe(arm64.root.digest);
    const config = (JSON.parse(text) as { config: { digest: string } }).config.digest;
    const body = JSON.parse((await s.call(`/v2/${tiny.repository}/blobs/${config}`)).text) as {
      architecture: string;
    };
    expect(body.architecture).toBe('arm64');
    expect(s.events.map((e) => e.kind)).toEqual(['fault.applied', 'fault.hit']);
    await fault.clear();
    expect(s.events.at(-1)).toMatchObject({ kind: 'fault.cleared', id: fault.id, fault: 'wrong-arch' });
  });
});
