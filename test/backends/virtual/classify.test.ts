import { expect, test } from 'vitest';
import { type CriError, formatKubeletPullError } from '../../../harness/backends/containerd/cri/errors.ts';
import { createVirtualNode } from '../../../harness/backends/virtual/index.ts';
import { classify } from '../../../harness/classify/index.ts';
import { type StartRegistryOptions, startRegistry } from '../../../registry-stubs/index.ts';
import { answer, corruptBlobs, cutBlobs, images } from './helpers.ts';

// The point of containerd's texts: the classifier reads a virtual node's failures as it reads a real node's.
test.each<[string, string, StartRegistryOptions, string]>([
  ['unknown tag', 'nope', {}, 'not-found'],
  ['index without amd64', 'no-amd64', {}, 'wrong-platform'],
  [
    '429 on resolve',
    'tiny',
    { layers: [answer('manifest', 'HEAD', 429, 'TOOMANYREQUESTS', 'x')] },
    'rate-limited',
  ],
  ['429 on blobs', 'tiny', { layers: [answer('blob', 'GET', 429, 'TOOMANYREQUESTS', 'x')] }, 'rate-limited'],
  ['corrupted blob', 'tiny', { layers: [corruptBlobs] }, 'digest-mismatch'],
  ['truncated blob', 'tiny', { layers: [cutBlobs('destroy')] }, 'blob-truncated'],
  ['token auth without credentials', 'tiny', { auth: { mode: 'token' } }, 'unauthorized'],
])('%s (pullstorm/%s)', async (_, name, options, cause) => {
  await using stub = await startRegistry({ images, ...options });
  await using node = createVirtualNode({ name: 'vn-classify' });
  const err = (await node
    .pullImage(`${stub.host}:${stub.port}/pullstorm/${name}:1.0`)
    .catch((e) => e)) as CriError;
  expect(classify(formatKubeletPullError(err)).cause).toBe(cause);
});
