/** The README test's reading of Markdown: which blocks are shell blocks and what their comments ask. */
import { describe, expect, it } from 'vitest';
import { parseDirective, shellBlocks } from './blocks.ts';

const doc = [
  '# title',
  '<!-- readme-test: skip="needs kind" -->',
  '```sh',
  'kind create cluster',
  '```',
  '',
  '```yaml',
  'a: 1',
  '```',
  '<!-- readme-test: expect="refused-1" expect=\'no "faults"\' exit=2 -->',
  '',
  '```bash',
  'pullstorm fault list',
  '```',
  '<!-- readme-test: servers -->',
  '```sh',
  'pullstorm serve',
  '```',
  '```console',
  'echo plain',
  '```',
].join('\n');

describe('README shell blocks', () => {
  it('finds sh, bash and console blocks in order with their lines, never yaml', () => {
    const blocks = shellBlocks(doc, 'R.md');
    expect(blocks.map((b) => [b.line, b.code])).toEqual([
      [3, 'kind create cluster\n'],
      [12, 'pullstorm fault list\n'],
      [16, 'pullstorm serve\n'],
      [19, 'echo plain\n'],
    ]);
  });

  it('reads skip reasons, expected texts, exit codes and servers from the comment above a block', () => {
    const [kind, list, serve, plain] = shellBlocks(doc, 'R.md').map((b) => b.directive);
    expect(kind).toEqual({ skip: 'needs kind', needs: [], expect: [], exit: 0 });
    expect(list).toEqual({ needs: [], expect: ['refused-1', 'no "faults"'], exit: 2 });
    expect(serve).toEqual({ needs: [], expect: [], exit: 0, servers: '"ready":true' });
    expect(plain).toEqual({ needs: [], expect: [], exit: 0 });
  });

  it('reads the binaries a block needs, space-separated, from one or more needs keys', () => {
    expect(parseDirective(' needs="kind  docker" needs=k6 ', 'x').needs).toEqual(['kind', 'docker', 'k6']);
  });

  it('a ready text of its own replaces the ready line, for servers and for a background block', () => {
    expect(parseDirective(` servers ready='listening on' `, 'x').servers).toBe('listening on');
    expect(parseDirective(` background ready="up" `, 'x')).toEqual({
      needs: [],
      expect: [],
      exit: 0,
      background: 'up',
    });
  });

  it('refuses an unknown key, naming the place and what it accepts', () => {
    expect(() => parseDirective(' skipp="x"', 'R.md:4')).toThrow(
      /R\.md:4: readme-test: expected skip="reason", needs="binaries", expect="text", exit=N, servers, background or ready="text" after either, got 'skipp="x"'/,
    );
  });

  it('refuses a comment that is not right above a shell block', () => {
    expect(() => shellBlocks('<!-- readme-test: skip="x" -->\ntext\n```sh\nls\n```\n', 'R.md')).toThrow(
      'R.md:1: readme-test comment not followed by a shell block',
    );
    expect(() => shellBlocks('<!-- readme-test: skip="x" -->\n```yaml\na: 1\n```\n', 'R.md')).toThrow(
      'R.md:1: readme-test comment above a yaml block, which is never run',
    );
  });
});
