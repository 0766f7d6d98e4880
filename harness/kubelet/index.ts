/**
 * pullstorm's model of kubelet's image manager: pure, clock-driven logic that reproduces kubelet's
 * pull policy, backoff, QPS limit, serial/parallel pullers, KEP-2535 credential checks, events and image
 * GC over any CRI-like {@link ImageService}. Each module cites the kubelet source it follows.
 */

export * from './backoff.ts';
export * from './clock.ts';
export * from './config.ts';
export * from './credentials.ts';
export * from './gc.ts';
export * from './gc-runner.ts';
export * from './gofmt.ts';
export * from './image-service.ts';
export * from './manager.ts';
export {
  alreadyPresent,
  backOffPulling,
  backOffStatusMessage,
  combinedEventsPrefix,
  EventReason,
  errorEvent,
  evalPullError,
  failedToApplyDefaultTag,
  failedToInspect,
  failedToPull,
  freeDiskSpaceFailed,
  invalidDiskCapacity,
  notPresentNeverPolicy,
  pulledImage,
  pullingImage,
  WaitingReason,
} from './messages.ts';
export * from './policy.ts';
export * from './puller.ts';
export * from './qps.ts';
export * from './recorder.ts';
export * from './reference.ts';
export * from './worker.ts';
