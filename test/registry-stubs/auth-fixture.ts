/** A seeded registry with users alice (team/* all actions), bob (team/* pull) and anonymous public/* pull. */
import { createRegistryApp } from '../../registry-stubs/app.ts';
import type { AuthOptions } from '../../registry-stubs/auth/options.ts';
import type { RegistryRequestEvent } from '../../registry-stubs/events.ts';
import { seed } from '../../registry-stubs/seed.ts';
import { MemoryStore } from '../../registry-stubs/storage/memory.ts';
import { describe as descriptorOf, smallImage } from './helpers.ts';

/** Users of the auth tests. */
export const users: AuthOptions['users'] = [
  {
    username: 'alice',
    password: 's3cret',
    access: [{ repository: 'team/*', actions: ['pull', 'push', 'delete'] }],
  },
  { username: 'bob', password: 'hunter2', access: [{ repository: 'team/*', actions: ['pull'] }] },
];
/** Anonymous rules of the auth tests. */
export const anonymous: AuthOptions['anonymous'] = [{ repository: 'public/*', actions: ['pull'] }];

/** An `Authorization: Basic` value. */
export const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

/** A store with team/app:v1 and public/base:v1. */
export async function seededStore() {
  const store = new MemoryStore();
  for (const repository of ['team/app', 'public/base']) {
    const { config, layer, manifest } = smallImage(repository);
    await seed(store, {
      repository,
      tag: 'v1',
      root: descriptorOf(manifest),
      manifests: [manifest],
      blobs: [config, layer],
      description: 'auth test image',
    });
  }
  return store;
}

/** The app under test, with its recorded events. */
export async function makeApp(mode: 'basic' | 'token', extra: Partial<AuthOptions> = {}, now?: () => number) {
  const events: RegistryRequestEvent[] = [];
  const app = createRegistryApp({
    store: await seededStore(),
    auth: { mode, users, anonymous, ...extra },
    onRequest: (e) => events.push(e),
    ...(now && { now }),
  });
  return { app, events };
}
