import { describe, expect, it } from 'vitest';
import {
  formatTerminalSummary,
  REDACTED,
  RENDERERS,
  REPORT_FORMATS,
  scrubDeep,
  scrubText,
} from '../../reports/index.ts';
import { CAUSES } from '../../vocab/causes.ts';
import { CASES } from './cases.ts';

const SECRETS = [
  'hunter2',
  's3cr3t-pass',
  'ghp_abcdef1234567890',
  'dXNlcjpodW50ZXIy',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
  'tok-123456789',
];

// A run whose texts echo credentials the way misbehaving registries, proxies and tools do.
function leakyRun() {
  const a = CASES.failing!();
  const leak = [
    'Authorization: Bearer tok-123456789',
    'GET https://robot:hunter2@registry:5000/v2/',
    'https://auth.example/token?scope=repository:x:pull&token=ghp_abcdef1234567890',
    '{"auths":{"registry:5000":{"auth":"dXNlcjpodW50ZXIy","password":"s3cr3t-pass"}}}',
    'bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
  ].join('\n');
  a.pods[0]!.lastError = leak;
  a.pods[0]!.events[1]!.message = leak;
  a.failures[0]!.example = leak;
  a.failures[0]!.evidence.push('password: hunter2');
  a.run.environment.REGISTRY_PASSWORD = 's3cr3t-pass';
  a.run.error = 'login failed with --password=hunter2';
  a.expectations[0]!.actual = 'token=tok-123456789';
  return a;
}

describe('secret scrubbing', () => {
  for (const format of REPORT_FORMATS) {
    it(`${RENDERERS[format].file} contains no secret`, () => {
      const out = RENDERERS[format].render(leakyRun());
      for (const secret of SECRETS) expect(out).not.toContain(secret);
      // Markdown escapes the brackets of `[redacted]`.
      expect(out).toContain('redacted');
    });
  }

  it('the terminal summary contains no secret', () => {
    const out = formatTerminalSummary({ ...leakyRun(), verdict: 'error' });
    for (const secret of SECRETS) expect(out).not.toContain(secret);
  });

  it('redacts values, keeping what they belonged to', () => {
    expect(scrubText('Authorization: Basic dXNlcjpodW50ZXIy')).toBe(`Authorization: Basic ${REDACTED}`);
    expect(scrubText('x\nauthorization: abc')).toBe(`x\nauthorization: ${REDACTED}`);
    expect(scrubText('https://robot:hunter2@registry:5000/v2/')).toBe(
      `https://robot:${REDACTED}@registry:5000/v2/`,
    );
    expect(scrubText('/token?scope=x&access_token=abc&x=1')).toBe(
      `/token?scope=x&access_token=${REDACTED}&x=1`,
    );
    expect(scrubText('"password": "a \\"quoted\\" one"')).toBe(`"password": "${REDACTED}"`);
    expect(scrubText('  password: hunter2')).toBe(`  password: ${REDACTED}`);
    expect(scrubDeep({ env: { GH_TOKEN: 'abc', HOME: '/root' }, n: { token: 3 } })).toEqual({
      env: { GH_TOKEN: REDACTED, HOME: '/root' },
      n: { token: 3 },
    });
  });

  // Scrubbing must not rewrite the texts operators search for, nor the remediation placeholders.
  it('leaves containerd and kubelet texts and remediations exact', () => {
    const texts = [
      'failed to fetch anonymous token: unexpected status from GET request to https://auth.docker.io/token?scope=repository%3Alibrary%2Fnginx%3Apull&service=registry.docker.io: 503 Service Unavailable',
      'failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized',
      'www-authenticate: Bearer realm="https://auth.docker.io/token",service="registry.docker.io",error="invalid_token"',
      'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
      ...Object.values(CAUSES).map((c) => c.remediation),
    ];
    for (const text of texts) expect(scrubText(text)).toBe(text);
  });
});
