import { describe, expect, it } from 'vitest';
import { resolveKubeletImageConfig } from '../../harness/kubelet/config.ts';
import { applyDefaultImageTag, defaultPullPolicy, isValidImageName } from '../../harness/kubelet/policy.ts';
import { parseImageName } from '../../harness/kubelet/reference.ts';

const digest = `sha256:${'a'.repeat(64)}`;

describe('imagePullPolicy defaulting (SetDefaults_Container)', () => {
  it.each([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['localhost:5000/team/app', 'Always'],
    ['busybox:1.36', 'IfNotPresent'],
    [`busybox@${digest}`, 'IfNotPresent'],
    [`busybox:1.36@${digest}`, 'IfNotPresent'],
    // ParseImageName reports tag "latest" here, so defaulting says Always despite the digest.
    [`busybox:latest@${digest}`, 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'],
    ['Invalid/Name', 'IfNotPresent'],
  ])('%s → %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });
});

describe('the image name kubelet passes to CRI (applyDefaultImageTag)', () => {
  it.each([
    ['busybox', 'busybox:latest'],
    ['busybox:1.36', 'busybox:1.36'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['localhost:5000/app:v1', 'localhost:5000/app:v1'],
    [`registry.example/app@${digest}`, `registry.example/app@${digest}`],
    ['docker.io/library/nginx', 'docker.io/library/nginx:latest'],
  ])('%s → %s', (image, cri) => {
    expect(applyDefaultImageTag(image)).toEqual({ ok: true, image: cri });
  });

  it.each([
    [
      'UPPER:1',
      'couldn\'t parse image name "UPPER:1": invalid reference format: repository name (library/UPPER) must be lowercase',
    ],
    ['busybox:', 'couldn\'t parse image name "busybox:": invalid reference format'],
    ['-bad', 'couldn\'t parse image name "-bad": invalid reference format'],
    ['app@sha256:abc', 'couldn\'t parse image name "app@sha256:abc": invalid reference format'],
    [
      `app@sha256:${'a'.repeat(63)}b0`,
      'couldn\'t parse image name "app@sha256:' + 'a'.repeat(63) + 'b0": invalid checksum digest length',
    ],
    [
      `app@md5:${'a'.repeat(32)}`,
      `couldn't parse image name "app@md5:${'a'.repeat(32)}": unsupported digest algorithm`,
    ],
    [
      'a'.repeat(64),
      `couldn't parse image name "${'a'.repeat(64)}": invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`,
    ],
    ['', 'couldn\'t parse image name "": invalid reference format'],
  ])('%s is an InvalidImageName', (image, error) => {
    expect(applyDefaultImageTag(image)).toEqual({ ok: false, error });
    expect(isValidImageName(image)).toBe(false);
  });

  it('normalizes names the Docker way', () => {
    expect(parseImageName('busybox')).toEqual({
      repository: 'docker.io/library/busybox',
      tag: 'latest',
      digest: '',
    });
    expect(parseImageName('index.docker.io/team/app:1')).toEqual({
      repository: 'docker.io/team/app',
      tag: '1',
      digest: '',
    });
    expect(parseImageName('localhost/app')).toMatchObject({ repository: 'localhost/app' });
    expect(parseImageName('[::1]:5000/app:v1')).toMatchObject({ repository: '[::1]:5000/app', tag: 'v1' });
  });
});

describe('kubelet image options', () => {
  it('defaults like kubelet', () => {
    const c = resolveKubeletImageConfig();
    expect(c).toMatchObject({
      kubernetesVersion: '1.32',
      minor: 32,
      registryPullQPS: 5,
      registryBurst: 10,
      serializeImagePulls: true,
      maxParallelImagePulls: undefined,
      ensureSecretPulledImages: false,
      credentialVerificationPolicy: 'NeverVerifyPreloadedImages',
    });
    expect(resolveKubeletImageConfig({ maxParallelImagePulls: 3 }).serializeImagePulls).toBe(false);
    expect(resolveKubeletImageConfig({ kubernetesVersion: 'v1.35.0' }).ensureSecretPulledImages).toBe(true);
  });

  it('reports every problem at once', () => {
    const bad = () =>
      resolveKubeletImageConfig({
        kubernetesVersion: '2.0',
        registryPullQPS: -1,
        serializeImagePulls: true,
        maxParallelImagePulls: 4,
      });
    expect(bad).toThrow(RangeError);
    expect(bad).toThrow(
      /kubernetesVersion[\s\S]*registryPullQPS \(--registry-qps\) -1 must not be a negative number[\s\S]*maxParallelImagePulls cannot be larger than 1 unless SerializeImagePulls/,
    );
  });
});
