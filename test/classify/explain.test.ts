import { describe, expect, it } from 'vitest';
import { explain, records } from '../../harness/classify/explain.ts';
import { formatExplanation } from '../../harness/classify/format-explain.ts';

// `kubectl describe pod` as pasted (github.com/apecloud/kubeblocks/issues/9169, shortened).
const describePod = `Events:
  Type     Reason     Age                  From               Message
  ----     ------     ----                 ----               -------
  Normal   Pulling    46m                  kubelet            Pulling image "msoap/shell2http:1.16.0"
  Warning  Failed     45m (x2 over 46m)    kubelet            Failed to pull image "msoap/shell2http:1.16.0": failed to pull and unpack image "docker.io/msoap/shell2http:1.16.0": failed to resolve reference "docker.io/msoap/shell2http:1.16.0": failed to do request: Head "https://registry-1.docker.io/v2/msoap/shell2http/manifests/1.16.0": dial tcp 199.96.61.1:443: connect: connection timed out
  Warning  Failed     44m (x3 over 46m)    kubelet            Error: ErrImagePull
  Warning  Failed     44m                  kubelet            Failed to pull image "msoap/shell2http:1.16.0": failed to pull and unpack image "docker.io/msoap/shell2http:1.16.0": failed to resolve reference "docker.io/msoap/shell2http:1.16.0": failed to do request: Head "https://registry-1.docker.io/v2/msoap/shell2http/manifests/1.16.0": dial tcp 31.13.94.49:443: connect: connection timed out
  Normal   BackOff    2s (x4 over 34s)     kubelet            Back-off pulling image "msoap/shell2http:1.16.0"`;

describe('explain', () => {
  it('reads one message, with cause, rule, evidence and remedy', () => {
    const [d, ...rest] = explain(
      'Error: short-name "alpine" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"',
    ).diagnoses;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ cause: 'short-name', matchedRule: 'short-name-policy', count: 1 });
    expect(d!.evidence).toContain('image: alpine');
    expect(d!.remediation).toMatch(/unqualified-search-registries/);
  });

  it('gives one diagnosis per distinct failure of a pasted describe output, with how often it appeared', () => {
    const { diagnoses, records: read } = explain(describePod);
    expect(read).toBe(6);
    expect(diagnoses.map((d) => [d.cause, d.count])).toEqual([['timeout', 2]]);
    expect(diagnoses[0]!.evidence).toContain('image: msoap/shell2http:1.16.0');
  });

  it('lists distinct failures of a log in order, recognised ones before lines no rule knows', () => {
    const log = [
      'INFO[0010] trying next host error="failed to do request: Head \\"https://r.example/v2/a/manifests/1\\": dial tcp: lookup r.example on 10.0.0.2:53: no such host" host=r.example',
      'ERRO[0010] the flux capacitor failed',
      'FATA[0010] failed to resolve reference "r.example/a:1": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
      'progress: 3 of 9 layers',
    ].join('\n');
    const { diagnoses } = explain(log);
    expect(diagnoses.map((d) => d.cause)).toEqual(['dns', 'unauthorized', 'unclassified']);
    expect(diagnoses[2]!.message).toBe('ERRO[0010] the flux capacitor failed');
  });

  it('joins a message wrapped over indented lines into one record', () => {
    const wrapped = `FATA[0010] failed to resolve reference "docker.io/library/httpd:latest": failed to do request:
      Head "https://registry-1.docker.io/v2/library/httpd/manifests/latest":
      dial tcp: lookup registry-1.docker.io on 10.0.2.3:53: read
      udp 10.0.2.100:47063->10.0.2.3:53: i/o timeout`;
    expect(records(wrapped)).toHaveLength(1);
    expect(explain(wrapped).diagnoses.map((d) => d.cause)).toEqual(['dns']);
  });

  it('says unclassified for one message no rule knows, and names both causes when the text fits two', () => {
    expect(explain('the registry is having a bad day').diagnoses[0]).toMatchObject({
      cause: 'unclassified',
      matchedRule: null,
    });
    const eof = explain(
      'Error: writing blob: storing blob to file "/var/tmp/s/1": happened during read: unexpected EOF',
    );
    expect(eof.diagnoses[0]).toMatchObject({ cause: 'connection-reset', alsoPossible: ['blob-truncated'] });
  });

  it('renders evidence unwrapped and the fix wrapped', () => {
    const text = formatExplanation(explain(describePod));
    expect(text).toMatch(/^1\. timeout: Registry did not answer in time\n {3}rule: dial-timeout, 2 times\n/);
    expect(text).toContain(
      '     request: HEAD https://registry-1.docker.io/v2/msoap/shell2http/manifests/1.16.0',
    );
    for (const line of text
      .split('\n')
      .filter((l) => l.startsWith('   Fix') || l.startsWith('   '))
      .filter((l) => !l.startsWith('     ') && !l.startsWith('   text:'))) {
      expect(line.length).toBeLessThanOrEqual(100);
    }
    expect(formatExplanation(explain('hello\nworld'))).toMatch(/^No image-pull error found in 2 line\(s\)/);
  });
});
