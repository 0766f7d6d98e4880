/**
 * Hostile request values never become a 500 (issue 17): deeply nested JSON in a manifest or a
 * fault spec, a fault id that does not percent-decode, and huge values echoed into messages.
 */
import { describe, expect, it } from 'vitest';
import { createRegistryApp } from '../../../registry-stubs/app.ts';
import { startRegistry } from '../../../registry-stubs/index.ts';
import { MediaType } from '../../../registry-stubs/oci/types.ts';
import { errorCode } from '../helpers.ts';

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const token = { 'X-Pullstorm-Control-Token': 't' };

describe('a manifest field nested 4,400 deep', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const config = `{"mediaType":"${MediaType.ociConfig}","digest":"${digest}","size":1}`;
  const cases: [string, string][] = [
    ['config', `{"schemaVersion":2,"config":${deep(4400)},"layers":[]}`],
    ['layers[0]', `{"schemaVersion":2,"config":${config},"layers":[${deep(4400)}]}`],
    ['subject', `{"schemaVersion":2,"config":${config},"layers":[],"subject":${deep(4400)}}`],
    ['annotations', `{"schemaVersion":2,"config":${config},"layers":[],"annotations":${deep(4400)}}`],
  ];
  for (const [field, body] of cases) {
    it(`in ${field} is 400 MANIFEST_INVALID with a short message, not 500`, async () => {
      const app = createRegistryApp();
      const res = await app.request('/v2/a/manifests/x', {
        method: 'PUT',
        body,
        headers: { 'Content-Type': MediaType.ociManifest },
      });
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(text.length).toBeLessThan(1_000);
      expect(JSON.parse(text).errors[0].code).toBe('MANIFEST_INVALID');
    });
  }

  it('in manifests[0] of an index is 400 MANIFEST_INVALID', async () => {
    const app = createRegistryApp();
    const res = await app.request('/v2/a/manifests/x', {
      method: 'PUT',
      body: `{"schemaVersion":2,"manifests":[${deep(4400)}]}`,
      headers: { 'Content-Type': MediaType.ociIndex },
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('MANIFEST_INVALID');
  });

  it('annotations must be strings: an object value is MANIFEST_INVALID', async () => {
    const app = createRegistryApp();
    const res = await app.request('/v2/a/manifests/x', {
      method: 'PUT',
      body: `{"schemaVersion":2,"config":${config},"layers":[],"annotations":{"a":{"b":1}}}`,
      headers: { 'Content-Type': MediaType.ociManifest },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('annotations must be an object of strings');
  });
});

describe('the control API with the token', () => {
  it('answers GET and DELETE /_pullstorm/faults/%zz with 400, not a URIError 500', async () => {
    await using registry = await startRegistry({ controlToken: 't' });
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${registry.url}/_pullstorm/faults/%zz`, { method, headers: token });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('does not decode');
    }
  });

  it('answers a POSTed spec of [ × 20,000 with 400 naming the depth limit', async () => {
    await using registry = await startRegistry({ controlToken: 't' });
    const res = await fetch(`${registry.url}/_pullstorm/faults`, {
      method: 'POST',
      headers: token,
      body: deep(20_000),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('nested at most 16 levels deep');
  });

  it('answers a spec over 64 KiB with 413 before parsing it', async () => {
    await using registry = await startRegistry({ controlToken: 't' });
    const res = await fetch(`${registry.url}/_pullstorm/faults`, {
      method: 'POST',
      headers: token,
      body: JSON.stringify({ fault: 'latency', id: 'x'.repeat(70_000) }),
    });
    expect(res.status).toBe(413);
  });
});

describe('values echoed into errors', () => {
  it('a 20,000-character tag is shown cut to 140 characters', async () => {
    const app = createRegistryApp();
    const res = await app.request(`/v2/a/manifests/-${'t'.repeat(20_000)}`);
    // An invalid reference on GET is MANIFEST_UNKNOWN (404), as the conformance suite expects.
    expect(res.status).toBe(404);
    expect((await res.text()).length).toBeLessThan(1_000);
  });
});
