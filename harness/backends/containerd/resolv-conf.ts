/**
 * A node's own resolv.conf without a container: containerd starts in a private mount namespace
 * (`unshare --mount --propagation private`) in which a file naming one local name server is
 * bind-mounted over /etc/resolv.conf. containerd, its shims and its pods see that file; the rest of
 * the machine keeps its own. The namespace, and the bind mount with it, ends with its last process
 * (containerd and the shims, which teardown.ts stops), so nothing is left to unmount on the host.
 * Why: this machine's resolver is off the machine, and a failure test must never send a query there.
 */
import { isIP } from 'node:net';

/**
 * Where pullstorm serves its NXDOMAIN responder for process nodes: a loopback address of its own
 * (all of 127.0.0.0/8 is the loopback interface on Linux), clear of systemd-resolved's 127.0.0.53.
 */
export const LOCAL_NAMESERVER = '127.53.0.1';

/** A resolv.conf naming one nameserver and no search domains, so a lookup is exactly one name (pure). */
export function renderResolvConf(nameserver: string): string {
  if (!isIP(nameserver)) throw new TypeError(`nameserver: expected an IP address, got "${nameserver}"`);
  return `# pullstorm node: every lookup goes to ${nameserver} and nowhere else\nnameserver ${nameserver}\n`;
}

/**
 * The command line running `file args…` in a private mount namespace with `resolvConf` bind-mounted
 * over /etc/resolv.conf (pure). unshare and sh exec in place, so the returned command's pid is the
 * daemon's own.
 */
export function withResolvConf(
  resolvConf: string,
  file: string,
  args: readonly string[],
): { file: string; args: string[] } {
  const script = 'mount --bind "$0" /etc/resolv.conf && exec "$@"';
  return {
    file: 'unshare',
    args: ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, resolvConf, file, ...args],
  };
}
