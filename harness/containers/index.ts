/**
 * pullstorm's Docker side: the one image builder (`buildScratchImage`: files + labels → a `FROM
 * scratch` image tagged by content hash), the registry stub as an image built by it and a container
 * started through testcontainers, and label-based cleanup of everything a run left behind.
 */

export {
  buildScratchImage,
  type ImageLayer,
  imageExists,
  type ScratchImage,
  type ScratchImageSpec,
} from './build.ts';
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
