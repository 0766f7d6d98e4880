/**
 * Where a container reaches the host: the Docker bridge's gateway, found in the kernel's table of
 * local addresses when Docker 20.10 leaves it out of the network's IPAM (pure parts).
 */
import { describe, expect, it } from 'vitest';
import { inSubnet, localAddresses } from '../../harness/containers/network.ts';

describe('gateway lookup', () => {
  it('finds the host-local addresses in /proc/net/fib_trie text and matches subnets', () => {
    const trie = `Main:
  +-- 0.0.0.0/0 3 0 5
     |-- 172.17.0.0
        /16 link UNICAST
     |-- 172.17.0.1
        /32 host LOCAL
     |-- 172.17.255.255
        /32 link BROADCAST
`;
    expect(localAddresses(trie)).toEqual(['172.17.0.1']);
    expect(inSubnet('172.17.0.1', '172.17.0.0/16')).toBe(true);
    expect(inSubnet('172.18.0.1', '172.17.0.0/16')).toBe(false);
  });
});
