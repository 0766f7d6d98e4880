/** `pullstorm image build`: the extra tag's parsing and the next steps it prints (the build itself is the stub image builder's). */
import { describe, expect, it } from 'vitest';
import { nextSteps, splitReference } from '../../../harness/cli/commands/image.ts';
import { UsageError } from '../../../vocab/errors.ts';

describe('pullstorm image build', () => {
  it('splits a reference into repository and tag (a registry port is not a tag)', () => {
    expect(splitReference('registry.example/pullstorm/stub:v1')).toEqual({
      repo: 'registry.example/pullstorm/stub',
      tag: 'v1',
    });
    expect(splitReference('registry.example:5000/pullstorm/stub')).toEqual({
      repo: 'registry.example:5000/pullstorm/stub',
      tag: 'latest',
    });
    expect(() => splitReference('stub@sha256:abc')).toThrow(UsageError);
    expect(() => splitReference('Upper/Case')).toThrow(/expected an image reference/);
  });

  it('says how to push it or load it into kind, k3d and minikube, and how to use it', () => {
    const text = nextSteps('pullstorm/stub:0123456789abcdef').join('\n');
    expect(text).toContain(
      'docker tag pullstorm/stub:0123456789abcdef <registry>/pullstorm/stub:<tag> && docker push',
    );
    expect(text).toContain('kind load docker-image pullstorm/stub:0123456789abcdef --name <cluster>');
    expect(text).toContain('k3d image import pullstorm/stub:0123456789abcdef --cluster <cluster>');
    expect(text).toContain('minikube image load pullstorm/stub:0123456789abcdef');
    expect(text).toContain('backend.type: kubeconfig');
    expect(text).toContain('pullstorm run <scenario> --stub-image');
  });
});
