import { describe, expect, test } from 'vitest';
import {
  encodeValues,
  GoError,
  goNetText,
  grpcCodeOf,
  type NetContext,
  parseAuth,
  parseChallenges,
  refKey,
  serverMessage,
} from '../../../harness/backends/virtual/index.ts';

const conn: NetContext = { host: 'registry.local', remote: '127.0.0.1:5000', local: '127.0.0.9:41234' };
const cert = {
  subjectaltname: 'DNS:a.example, DNS:b.example, IP Address:10.0.0.1',
  valid_from: 'Jan  1 00:00:00 2024 GMT',
  valid_to: 'Jan  1 00:00:00 2025 GMT',
};

describe('the Node → Go text table', () => {
  test.each([
    ['ECONNREFUSED', conn, 'dial tcp 127.0.0.1:5000: connect: connection refused'],
    ['DIAL_TIMEOUT', conn, 'dial tcp 127.0.0.1:5000: i/o timeout'],
    ['ETIMEDOUT', conn, 'dial tcp 127.0.0.1:5000: i/o timeout'],
    ['EHOSTUNREACH', conn, 'dial tcp 127.0.0.1:5000: connect: no route to host'],
    ['ENOTFOUND', conn, 'dial tcp: lookup registry.local: no such host'],
    ['ECONNRESET', conn, 'read tcp 127.0.0.9:41234->127.0.0.1:5000: read: connection reset by peer'],
    ['EPIPE', conn, 'write tcp 127.0.0.9:41234->127.0.0.1:5000: write: broken pipe'],
    ['SOCKET_HANG_UP', conn, 'EOF'],
    ['TLS_HANDSHAKE_TIMEOUT', conn, 'net/http: TLS handshake timeout'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', conn, 'http: server gave HTTP response to HTTPS client'],
    [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      conn,
      'tls: failed to verify certificate: x509: certificate signed by unknown authority',
    ],
    [
      'SELF_SIGNED_CERT_IN_CHAIN',
      conn,
      'tls: failed to verify certificate: x509: certificate signed by unknown authority',
    ],
    [
      'CERT_HAS_EXPIRED',
      { ...conn, cert, now: new Date('2025-06-01T12:00:00.250Z') },
      'tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2025-06-01T12:00:00Z is after 2025-01-01T00:00:00Z',
    ],
    [
      'CERT_NOT_YET_VALID',
      { ...conn, cert, now: new Date('2023-06-01T00:00:00Z') },
      'tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2023-06-01T00:00:00Z is before 2024-01-01T00:00:00Z',
    ],
    [
      'ERR_TLS_CERT_ALTNAME_INVALID',
      { ...conn, cert },
      'tls: failed to verify certificate: x509: certificate is valid for a.example, b.example, not registry.local',
    ],
    [
      'ERR_TLS_CERT_ALTNAME_INVALID',
      { ...conn, host: '127.0.0.1', cert },
      'tls: failed to verify certificate: x509: certificate is valid for 10.0.0.1, not 127.0.0.1',
    ],
    [
      'ERR_TLS_CERT_ALTNAME_INVALID',
      { ...conn, host: '::1', cert: { ...cert, subjectaltname: 'IP Address:0:0:0:0:0:0:0:2' } },
      'tls: failed to verify certificate: x509: certificate is valid for ::2, not ::1',
    ],
    [
      'ERR_TLS_CERT_ALTNAME_INVALID',
      { ...conn, cert: { ...cert, subjectaltname: undefined, subject: { CN: 'registry.local' } } },
      'tls: failed to verify certificate: x509: certificate relies on legacy Common Name field, use SANs instead',
    ],
  ] as const)('%s', (code, context, text) => {
    expect(goNetText(code, context)).toBe(text);
  });

  test('a code without a row gives undefined, so callers keep the original message', () => {
    expect(goNetText('EWHATEVER', conn)).toBeUndefined();
  });
});

describe('gRPC codes as errdefs.ToGRPC picks them', () => {
  test.each([
    [['not-found'], 5],
    [['failed-precondition'], 9],
    [['canceled'], 1],
    [['invalid-argument'], 3],
    [['invalid-authorization'], 2],
    [[], 2],
  ] as const)('%j → %i', (sentinels, code) => {
    expect(grpcCodeOf(new GoError('x', sentinels))).toBe(code);
  });
});

describe('registry error bodies after "Server message:"', () => {
  test.each([
    ['{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}', 'toomanyrequests: slow down'],
    ['{"errors":[{"code":"TOOMANYREQUESTS","message":"too many requests"}]}', 'toomanyrequests'],
    ['{"errors":[{"code":"DENIED","message":"no","detail":{"a":1}}]}', 'denied: no'],
    ['{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}', 'unknown: manifest unknown'],
    [
      '{"errors":[{"code":"UNAUTHORIZED","message":"a"},{"code":"DENIED","message":"b"}]}',
      'errors:\nunauthorized: a\ndenied: b\n',
    ],
    ['{"details":"legacy"}', 'unknown: legacy'],
    ['not json', undefined],
    ['', undefined],
  ])('%s', (body, text) => {
    expect(serverMessage(body)).toBe(text);
  });
});

describe('WWW-Authenticate, credentials, forms', () => {
  test('challenges: one per header value, quoted values unescaped, unknown schemes skipped', () => {
    const parsed = parseChallenges([
      'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull",error="insufficient_scope"',
      'Negotiate abc',
      'Basic realm="say \\"hi\\""',
    ]);
    expect(parsed).toEqual([
      {
        scheme: 'bearer',
        parameters: {
          realm: 'https://auth.example/token',
          service: 'registry.example',
          scope: 'repository:a/b:pull',
          error: 'insufficient_scope',
        },
      },
      { scheme: 'basic', parameters: { realm: 'say "hi"' } },
    ]);
  });

  test.each([
    [{ username: 'u', password: 'p' }, 'h:1', { username: 'u', secret: 'p' }],
    [{ identityToken: 't' }, 'h:1', { username: '', secret: 't' }],
    [{ auth: Buffer.from('u:p\0\0').toString('base64') }, 'h:1', { username: 'u', secret: 'p' }],
    [{ username: 'u', password: 'p', serverAddress: 'https://h:1' }, 'h:1', { username: 'u', secret: 'p' }],
    [{ username: 'u', password: 'p', serverAddress: 'https://other' }, 'h:1', { username: '', secret: '' }],
    [undefined, 'h:1', { username: '', secret: '' }],
  ])('ParseAuth(%j, %s)', (auth, host, want) => {
    expect(parseAuth(auth, host)).toEqual(want);
  });

  test('ParseAuth errors keep Go texts', () => {
    expect(() => parseAuth({ serverAddress: '127.0.0.1:5000', username: 'u' }, 'x')).toThrow(
      'parse server address: parse "127.0.0.1:5000": first path segment in URL cannot contain colon',
    );
    expect(() => parseAuth({ auth: Buffer.from('nocolon').toString('base64') }, 'x')).toThrow(
      'invalid decoded auth: "nocolon"',
    );
  });

  test("url.Values.Encode: sorted keys, Go's escaping", () => {
    expect(
      encodeValues([
        ['service', 'reg'],
        ['scope', 'repository:a/b:pull'],
        ['scope', 'x y*'],
      ]),
    ).toBe('scope=repository%3Aa%2Fb%3Apull&scope=x+y%2A&service=reg');
  });

  test('ingest refs name the kind of content', () => {
    const d = `sha256:${'0'.repeat(64)}`;
    expect(refKey({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d, size: 1 })).toBe(
      `layer-${d}`,
    );
    expect(refKey({ mediaType: 'application/vnd.docker.container.image.v1+json', digest: d, size: 1 })).toBe(
      `config-${d}`,
    );
    expect(refKey({ mediaType: 'application/vnd.oci.image.index.v1+json', digest: d, size: 1 })).toBe(
      `index-${d}`,
    );
    expect(refKey({ mediaType: 'text/plain', digest: d, size: 1 })).toBe(`unknown-${d}`);
  });
});
