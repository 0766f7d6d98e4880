/** A process node's own resolv.conf: the file, the command line that mounts it, the option's check. */
import { describe, expect, it } from 'vitest';
import { resolveNodeOptions } from '../../../harness/backends/containerd/options.ts';
import {
  LOCAL_NAMESERVER,
  renderResolvConf,
  withResolvConf,
} from '../../../harness/backends/containerd/resolv-conf.ts';

describe('a node resolv.conf', () => {
  it('names one nameserver, no search domains, and refuses anything but an IP', () => {
    const text = renderResolvConf(LOCAL_NAMESERVER);
    expect(text.split('\n').filter((l) => !l.startsWith('#'))).toEqual(['nameserver 127.53.0.1', '']);
    expect(() => renderResolvConf('gateway')).toThrow(TypeError);
  });

  it('runs the daemon in a private mount namespace with the file bind-mounted over /etc/resolv.conf', () => {
    const { file, args } = withResolvConf('/n/resolv.conf', 'containerd', ['--config', '/n/config.toml']);
    expect(file).toBe('unshare');
    expect(args.slice(0, 4)).toEqual(['--mount', '--propagation', 'private', '--']);
    // sh's $0 is the file, "$@" the daemon's argv: exec keeps the pid, so stopping the node stops containerd.
    expect(args.slice(4)).toEqual([
      'sh',
      '-c',
      'mount --bind "$0" /etc/resolv.conf && exec "$@"',
      '/n/resolv.conf',
      'containerd',
      '--config',
      '/n/config.toml',
    ]);
  });

  it('node options take a nameserver only as an IP address', () => {
    expect(resolveNodeOptions({ name: 'n', nameserver: LOCAL_NAMESERVER }).nameserver).toBe(LOCAL_NAMESERVER);
    expect(resolveNodeOptions({ name: 'n' }).nameserver).toBeUndefined();
    expect(() => resolveNodeOptions({ name: 'n', nameserver: 'dns.local' })).toThrow(
      /nameserver must be an IP address, got "dns.local"/,
    );
  });
});
