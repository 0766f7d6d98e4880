/**
 * A virtual node (harness/backends/virtual) as a {@link ClusterNode}: a protocol-faithful puller with
 * containerd's ImageService texts and no daemon, so it cannot run containers: a pod on it is Running
 * once its image is present. Its image store has no size limit, so disk faults and GC do not apply.
 */

import type { ClusterNode } from '../../cluster/types.ts';
import { withKubeletPullErrors } from '../containerd/kubelet-errors.ts';
import type { VirtualNode } from './node.ts';

/** Adapts a virtual node; the node stays the caller's to close. */
export function fromVirtualNode(node: VirtualNode): ClusterNode {
  return {
    name: node.name,
    platform: node.platform,
    imageService: withKubeletPullErrors(node),
    capabilities: { runsContainers: false, diskFaults: false },
  };
}
