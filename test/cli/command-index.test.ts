import { describe, expect, test } from 'vitest';
import { COMMAND_INDEX, commandsFor, commandWord } from '../../harness/cli/command-index.ts';

describe('the lazy command table', () => {
  test.each(COMMAND_INDEX.map((entry) => [entry.name, entry] as const))(
    "'%s' lists the command string and description its module has",
    async (name, entry) => {
      const module = await entry.load();
      expect(module.command).toBe(entry.command);
      expect(module.describe).toBe(entry.describe);
      expect(String(module.command).split(' ')[0]).toBe(name);
    },
  );

  test('the command word is the first argument that is not an option', () => {
    expect(commandWord(['--help'])).toBeUndefined();
    expect(commandWord(['-h', 'faults', '--json'])).toBe('faults');
    expect(commandWord([])).toBeUndefined();
  });

  test('only the invoked command gets its module; the others are placeholders without a builder', async () => {
    const commands = await commandsFor(['faults', '--json']);
    const loaded = commands.filter((c) => c.builder !== undefined);
    expect(loaded.map((c) => c.command)).toEqual(['faults']);
    expect(commands).toHaveLength(COMMAND_INDEX.length);
  });
});
