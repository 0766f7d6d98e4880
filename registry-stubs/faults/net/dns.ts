/**
 * DNS failure is not a socket fault: the client must be pointed at a name that cannot resolve.
 * Names under `.invalid` never resolve (RFC 6761 §6.4), so nothing outside can answer them by
 * accident. Checked here: `getent hosts x.pullstorm.invalid` exits 2 (not found); Node's lookup
 * fails with ENOTFOUND (`getaddrinfo ENOTFOUND …`); curl exits 6 (`Could not resolve host`).
 */

/** Domain every unresolvable node name ends in. */
export const UNRESOLVABLE_DOMAIN = 'pullstorm.invalid';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The host name to configure for `node` so that resolving it fails: `<node>.pullstorm.invalid`. */
export function unresolvableHost(node: string): string {
  const label = typeof node === 'string' ? node.toLowerCase() : node;
  if (typeof label !== 'string' || !LABEL.test(label)) {
    const given = typeof node === 'string' ? JSON.stringify(node) : String(node);
    throw new RangeError(
      `unresolvableHost: node must be a DNS label (letters, digits, inner hyphens, 1-63 characters), got ${given}`,
    );
  }
  return `${label}.${UNRESOLVABLE_DOMAIN}`;
}

/**
 * Go's error text for dialing `host` when the lookup fails: with Go's own resolver (static
 * builds such as containerd's) `dial tcp: lookup <host> on <resolver>: no such host`, where
 * `resolver` is the first nameserver of /etc/resolv.conf with `:53`; with the cgo resolver
 * (`resolver` omitted) `dial tcp: lookup <host>: no such host`.
 */
export function goNoSuchHost(host: string, resolver?: string): string {
  return `dial tcp: lookup ${host}${resolver === undefined ? '' : ` on ${resolver}`}: no such host`;
}
