/**
 * pullstorm's Docker side: the registry stub as a locally built image and a container started through
 * testcontainers, and label-based cleanup of everything a run left behind.
 */

export { cleanupContainers, cleanupImages } from './cleanup.ts';
export { DockerUnavailableError, dockerClient, dockerStatus } from './docker.ts';
export { LABEL_COMPONENT, LABEL_PULLSTORM, LABEL_RUN_ID, runLabels } from './labels.ts';
export { type StubContainer, type StubContainerOptions, startStubContainer } from './stub-container.ts';
export {
  type BuildStubImageOptions,
  buildStubImage,
  STUB_CONTAINER_PORT,
  STUB_IMAGE_REPOSITORY,
  type StubImage,
  stubImage,
} from './stub-image.ts';
