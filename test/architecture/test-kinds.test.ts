/**
 * The rule of vitest.config.ts, checked: a unit test (any `*.test.ts` not named
 * `*.integration.test.ts`) runs in-process, so neither it nor the test helpers it imports start a
 * process, a container or a containerd node. dependency-cruiser reads the imports (type-only ones
 * left out: a type starts nothing); a file that needs one of these is an integration test and says
 * so in its name.
 */
import { expect, test } from 'vitest';
import { unitTestsThatStartSomething } from './test-kinds.ts';

test('no unit test, nor a test helper it imports, starts a process, a container or containerd', async () => {
  expect(Object.fromEntries(await unitTestsThatStartSomething())).toEqual({});
}, 120_000);
