import { defineScenario } from 'pullstorm';

/**
 * A pull quota on a rollout across three virtual nodes (kubelet's model over a real HTTP client, no
 * containerd needed): five manifest pulls per minute, then 429 toomanyrequests until the fault clears.
 */
export default defineScenario({
  apiVersion: 'pullstorm.dev/v1alpha1',
  kind: 'Scenario',
  name: 'quota-rollout',
  description: 'A rollout meets a 5-per-minute pull quota and recovers once it is lifted.',
  backend: {
    nodes: [
      { name: 'a', kind: 'virtual' },
      { name: 'b', kind: 'virtual' },
      { name: 'c', kind: 'virtual' },
    ],
  },
  registries: [{ name: 'hub', fixtures: { include: ['tiny'] } }],
  workload: [
    {
      kind: 'deployment',
      name: 'web',
      image: 'hub/pullstorm/tiny:1.0',
      replicas: 9,
      imagePullPolicy: 'Always',
    },
  ],
  faults: [
    {
      id: 'quota',
      fault: 'rate-limit',
      options: { limit: 2, windowSeconds: 3600, style: 'generic' },
      at: '0s',
      for: '1m',
    },
  ],
  expectations: [
    { type: 'detectedWithin', fault: 'quota', within: '30s' },
    { type: 'allPodsRunning', within: '5m' },
  ],
  timeout: '10m',
});
