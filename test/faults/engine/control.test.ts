/** The control API: token required, apply / list / clear, errors that say what was expected. */
import { describe, expect, it } from 'vitest';
import { stub, tiny } from '../http/helpers.ts';

const auth = { Authorization: 'Bearer sekrit' };
const json = (body: unknown) => ({
  method: 'POST',
  headers: { ...auth, 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

describe('control API', () => {
  it('is disabled (404) without a control token', async () => {
    await using s = await stub();
    const { res, text } = await s.call('/_pullstorm/faults', { headers: auth });
    expect(res.status).toBe(404);
    expect(JSON.parse(text).errors[0]).toMatchObject({ code: 'CONTROL_DISABLED' });
  });

  it('requires the token, as a bearer token or in X-Pullstorm-Control-Token', async () => {
    await using s = await stub({ controlToken: 'sekrit' });
    const expected =
      'expected X-Pullstorm-Control-Token: <control token> or Authorization: Bearer <control token>, got';
    const none = await s.call('/_pullstorm/faults');
    expect(none.res.status).toBe(401);
    expect(none.res.headers.get('www-authenticate')).toBe('Bearer realm="pullstorm-control"');
    expect(JSON.parse(none.text).errors[0].message).toBe(`${expected} neither`);
    const wrong = await s.call('/_pullstorm/faults', { headers: { Authorization: 'Bearer nope' } });
    expect(JSON.parse(wrong.text).errors[0].message).toBe(
      `${expected} Authorization: Bearer with a token that does not match`,
    );
    const basic = await s.call('/_pullstorm/faults', { headers: { Authorization: 'Basic c2Vrcml0' } });
    expect(basic.res.status).toBe(401);
    expect(JSON.parse(basic.text).errors[0].message).toBe(`${expected} Authorization with another scheme`);
    const header = await s.call('/_pullstorm/faults', { headers: { 'X-Pullstorm-Control-Token': 'sekrit' } });
    expect([header.res.status, header.text]).toEqual([200, '{"faults":[]}']);
    // Through kube-apiserver's proxy Authorization holds the cluster's credentials (then is
    // removed): the custom header decides when both are sent.
    const both = await s.call('/_pullstorm/faults', {
      headers: { 'X-Pullstorm-Control-Token': 'sekrit', Authorization: 'Bearer cluster-token' },
    });
    expect(both.res.status).toBe(200);
    const badHeader = await s.call('/_pullstorm/faults', {
      headers: { 'X-Pullstorm-Control-Token': 'nope', Authorization: 'Bearer sekrit' },
    });
    expect(JSON.parse(badHeader.text).errors[0].message).toBe(
      `${expected} X-Pullstorm-Control-Token with a token that does not match`,
    );
  });

  it('applies, lists and clears faults that take effect at once', async () => {
    await using s = await stub({ controlToken: 'sekrit' });
    const applied = await s.call(
      '/_pullstorm/faults',
      json({ fault: 'unknown-tag', scope: { repository: tiny.repository } }),
    );
    expect(applied.res.status).toBe(201);
    const summary = JSON.parse(applied.text);
    expect(summary).toMatchObject({
      id: 'unknown-tag-1',
      fault: 'unknown-tag',
      where: 'registry',
      options: { tag: '*' },
    });
    expect((await s.call(`/v2/${tiny.repository}/manifests/1.0`)).res.status).toBe(404);

    await s.call('/_pullstorm/faults', json({ id: 'down', fault: 'registry-down' }));
    const listed = JSON.parse((await s.call('/_pullstorm/faults', { headers: auth })).text);
    expect(listed.faults.map((f: { id: string }) => f.id)).toEqual(['unknown-tag-1', 'down']);
    const one = await s.call('/_pullstorm/faults/down', { headers: auth });
    expect(JSON.parse(one.text)).toMatchObject({
      id: 'down',
      fault: 'registry-down',
      options: { status: 503 },
    });

    // Control requests are never subject to faults (registry-down answers everything else 503).
    const cleared = await s.call('/_pullstorm/faults/down', { method: 'DELETE', headers: auth });
    expect(JSON.parse(cleared.text)).toEqual({ cleared: ['down'] });
    const all = await s.call('/_pullstorm/faults', { method: 'DELETE', headers: auth });
    expect(JSON.parse(all.text)).toEqual({ cleared: ['unknown-tag-1'] });
    expect((await s.call(`/v2/${tiny.repository}/manifests/1.0`)).res.status).toBe(200);
    // …nor observed as registry requests.
    expect(s.requests.map((r) => r.path)).toEqual([
      `/v2/${tiny.repository}/manifests/1.0`,
      `/v2/${tiny.repository}/manifests/1.0`,
    ]);
  });

  it('answers bad specs 400 with every problem, conflicts 409, unknown ids 404', async () => {
    await using s = await stub({ controlToken: 'sekrit' });
    const bad = await s.call(
      '/_pullstorm/faults',
      json({ fault: 'rate-limit', options: { limit: 'x' }, scope: { route: 'blobs' }, extra: 1 }),
    );
    expect(bad.res.status).toBe(400);
    expect(JSON.parse(bad.text).errors[0]).toMatchObject({
      code: 'FAULT_INVALID',
      detail: {
        problems: [
          { path: 'extra', message: 'unknown field; expected one of id, fault, options, scope' },
          { path: 'options.limit', message: "expected an integer from 1 to 1000000000, got 'x'" },
          { path: 'scope.route', message: expect.stringMatching(/^expected one of 'any', .*, got 'blobs'$/) },
        ],
      },
    });
    const notJson = await s.call('/_pullstorm/faults', { method: 'POST', headers: auth, body: '{fault:' });
    expect(notJson.res.status).toBe(400);
    expect(JSON.parse(notJson.text).errors[0].message).toMatch(
      /^expected a JSON fault spec .*, got invalid JSON: /,
    );
    const conflict = await s.call('/_pullstorm/faults', json({ fault: 'auth-token-expiry' }));
    expect([conflict.res.status, JSON.parse(conflict.text).errors[0].code]).toEqual([
      409,
      'FAULT_NOT_APPLICABLE',
    ]);
    const unknown = await s.call('/_pullstorm/faults/nope', { method: 'DELETE', headers: auth });
    expect([unknown.res.status, JSON.parse(unknown.text).errors[0].code]).toEqual([404, 'FAULT_UNKNOWN']);
    const method = await s.call('/_pullstorm/faults', { method: 'PUT', headers: auth });
    expect([method.res.status, method.res.headers.get('allow')]).toEqual([405, 'GET, POST, DELETE']);
    const path = await s.call('/_pullstorm/other', { headers: auth });
    expect(path.res.status).toBe(404);
  });
});
