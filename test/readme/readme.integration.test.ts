/**
 * The README is executable: every shell block of README.md and of the folder READMEs runs as
 * written, in order, on this machine, and must end with its exit code (0 unless its comment says
 * otherwise) and show its key lines. Blocks that need what this machine lacks (kind, k6, a cluster)
 * or that must not run inside `npm test` (`npm start` takes minutes; `npm test` would recurse) carry
 * a `skip` comment with the reason; a block that needs only binaries (kind, k6) says `needs`, and runs
 * wherever they are on PATH. The conventions are in test/readme/blocks.ts.
 */
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ShellBlock, shellBlocks } from './blocks.ts';
import { type Background, openSession, REPO, type Session } from './session.ts';

/** Markdown files under the repository (no dependencies, no run output, no build or test copies). */
function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    // dist/ holds copies (the build's assets) and test-artifacts/ installed projects: not documents.
    const skipped = ['node_modules', 'pullstorm-runs', 'dist', 'test-artifacts'];
    if (entry.startsWith('.') || skipped.includes(entry)) return [];
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return entry.endsWith('.md') ? [relative(REPO, path)] : [];
  });
}

const documents = markdownFiles(REPO)
  .map((file) => ({ file, blocks: shellBlocks(readFileSync(join(REPO, file), 'utf8'), file) }))
  .filter((d) => d.blocks.length > 0)
  // README.md first: it is what a newcomer reads first.
  .sort((a, b) => (a.file === 'README.md' ? -1 : b.file === 'README.md' ? 1 : a.file.localeCompare(b.file)));

const BLOCK_TIMEOUT_MS = 240_000;
let ran = 0;
const skipped: string[] = [];

/** Whether an executable `bin` is in one of PATH's directories. */
function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, bin), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function title(block: ShellBlock): string {
  const first = block.code.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  return `line ${block.line}: ${first.replace(/\s+#.*$/, '').slice(0, 80)}`;
}

afterAll(() => {
  const lines = [
    `README blocks: ${ran} run, ${skipped.length} skipped`,
    ...skipped.map((s) => `  skipped ${s}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
});

it('finds the README and the folder READMEs that show commands', () => {
  expect(documents.map((d) => d.file)).toContain('README.md');
  expect(documents.length).toBeGreaterThan(1);
});

for (const doc of documents) {
  describe(doc.file, () => {
    let session: Session;
    // A background block serves the block after it, then is stopped as Ctrl-C would.
    let serving: Background | undefined;
    const stopServing = async () => {
      await serving?.stop();
      serving = undefined;
    };
    beforeAll(async () => {
      session = await openSession(doc.file);
    });
    afterAll(async () => {
      await stopServing();
      await session?.[Symbol.asyncDispose]();
    });

    for (const block of doc.blocks) {
      const { directive } = block;
      const missing = directive.needs.filter((bin) => !onPath(bin));
      const skip =
        directive.skip ?? (missing.length > 0 ? `needs ${missing.join(', ')}, not on PATH` : undefined);
      if (skip !== undefined) skipped.push(`${doc.file}:${block.line}: ${skip}`);
      it.skipIf(skip !== undefined)(
        skip === undefined ? title(block) : `${title(block)} (skipped: ${skip})`,
        async () => {
          ran++;
          if (directive.background !== undefined) {
            await stopServing();
            serving = await session.background(block.code, directive.background, 120_000);
            expect(serving.ready, `never printed ${directive.background}:\n${serving.output()}`).toBe(true);
            return;
          }
          const served = serving;
          serving = undefined;
          try {
            await runBlock(block);
          } finally {
            await served?.stop();
          }
        },
        BLOCK_TIMEOUT_MS,
      );
    }

    async function runBlock(block: ShellBlock) {
      const { directive } = block;
      if (directive.servers !== undefined) {
        for (const line of block.code
          .split('\n')
          .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))) {
          const r = await session.server(line, directive.servers, 120_000);
          expect(r.ready, `${line}\nnever printed ${directive.servers}:\n${r.output}`).toBe(true);
          for (const text of directive.expect) expect(r.output, line).toContain(text);
        }
        return;
      }
      const r = await session.run(block.code, BLOCK_TIMEOUT_MS - 10_000);
      const where = `${doc.file}:${block.line}\n${block.code}\n--- output ---\n${r.output}`;
      expect(r.timedOut, `timed out: ${where}`).toBe(false);
      expect(r.code, where).toBe(directive.exit);
      for (const text of directive.expect) expect(r.output, where).toContain(text);
    }
  });
}
