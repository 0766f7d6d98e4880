/**
 * The storm's registry stub as a child process (forked by stub-process.ts), so its CPU and memory are
 * measured apart from the harness. It serves the images the parent names and records every request.
 */
import { fixtureImages, largeImage } from '../../registry-stubs/fixtures/catalogue.ts';
import { type RegistryRequestEvent, startRegistry } from '../../registry-stubs/index.ts';
import type { StubChildConfig, StubChildMessage, StubParentMessage } from './stub-process.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as StubChildConfig;
const images = [
  ...fixtureImages({ include: ['tiny'] }),
  ...(config.large ? [largeImage({ ...config.large, repository: 'pullstorm/storm', tag: '1.0' })] : []),
];
let requests: RegistryRequestEvent[] = [];
const registry = await startRegistry({ images, onRequest: (e) => requests.push(e) });
const send = (message: StubChildMessage) => process.send?.(message);

// An orphaned stub would keep the image in memory forever: exit with the parent.
process.on('disconnect', () => process.exit(0));
process.on('message', (message: StubParentMessage) => {
  if (message.type === 'collect') {
    send({ type: 'requests', requests });
    requests = [];
  } else if (message.type === 'stop') {
    void registry.close().finally(() => process.exit(0));
  }
});
send({ type: 'ready', url: registry.url, host: registry.host, port: registry.port });
