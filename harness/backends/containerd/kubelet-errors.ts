/**
 * How kubelet ≥ 1.28 renders a failed PullImage (cri-client remote_image.go): a gRPC status of code
 * Unknown shows its description bare, every other code keeps `rpc error: code = X desc = …`. Both node
 * adapters (containerd over CRI, virtual nodes) reject with the containerd backend's `CriError`, so
 * the rendering is applied once here, on the way into the image manager.
 */

import type { ImageService } from '../../kubelet/image-service.ts';
import { CriError, formatKubeletPullError } from './cri/errors.ts';

/** Wraps `service.pullImage` so a CriError becomes an Error with kubelet's text (the CriError as cause). */
export function withKubeletPullErrors(service: ImageService): ImageService {
  return {
    pullImage: async (image, options) => {
      try {
        return await service.pullImage(image, options);
      } catch (err) {
        if (!(err instanceof CriError)) throw err;
        throw new Error(formatKubeletPullError(err), { cause: err });
      }
    },
    imageStatus: (image) => service.imageStatus(image),
    removeImage: (image) => service.removeImage(image),
    listImages: () => service.listImages(),
    imageFsInfo: () => service.imageFsInfo(),
  };
}
