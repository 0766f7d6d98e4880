/**
 * DNS failure is not a socket fault: the client must be pointed at a name that cannot resolve.
 * Names under `.invalid` never resolve (RFC 6761 §6.4) — but a resolver still ASKS the machine's
 * name server about them, and that server is not on this machine: traffic a failure test must
 * never send. So the name's first label is 64 characters, one more than DNS allows (RFC 1035
 * §2.3.4): Go's resolver (containerd) and glibc reject it before sending any query. Checked with
 * strace on containerd 1.6.20: `x.pullstorm.invalid` → connect() to the resolver's port 53; the
 * over-long name → no port-53 syscall, and `dial tcp: lookup <name>: no such host`.
 */

/** Domain every unresolvable node name ends in. */
export const UNRESOLVABLE_DOMAIN = 'pullstorm.invalid';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Length of the first label: one past DNS's 63, so no resolver sends a query for the name. */
const OVERLONG_LABEL = 64;

/**
 * The host name to configure for `node` so that resolving it fails locally, without a query:
 * `<node>-xxxx….pullstorm.invalid` whose first label is 64 characters.
 */
export function unresolvableHost(node: string): string {
  const label = typeof node === 'string' ? node.toLowerCase() : node;
  if (typeof label !== 'string' || !LABEL.test(label)) {
    const given = typeof node === 'string' ? JSON.stringify(node) : String(node);
    throw new RangeError(
      `unresolvableHost: node must be a DNS label (letters, digits, inner hyphens, 1-63 characters), got ${given}`,
    );
  }
  return `${label}-${'x'.repeat(OVERLONG_LABEL - label.length - 1)}.${UNRESOLVABLE_DOMAIN}`;
}

/**
 * Go's error text for dialing `host` when the lookup fails: with Go's own resolver after a query
 * `dial tcp: lookup <host> on <resolver>: no such host`, where `resolver` is the first nameserver
 * of /etc/resolv.conf with `:53`; without a query (an invalid name, or the cgo resolver) —
 * `resolver` omitted — `dial tcp: lookup <host>: no such host`.
 */
export function goNoSuchHost(host: string, resolver?: string): string {
  return `dial tcp: lookup ${host}${resolver === undefined ? '' : ` on ${resolver}`}: no such host`;
}
