/**
 * The shell blocks of a Markdown file, and what the README test must do with each. A block is a
 * fenced ```sh / ```bash / ```shell block; the HTML comment right above it (blank lines allowed,
 * invisible on GitHub) tells the test how to treat it:
 *
 *   <!-- readme-test: skip="needs a cluster with a context named staging" -->
 *   <!-- readme-test: needs="kind docker" -->     runs where every listed binary is on PATH, else skipped
 *   <!-- readme-test: expect="refused-1" expect="no faults applied" -->   key lines of the output
 *   <!-- readme-test: exit=2 -->                                            the exit code (default 0)
 *   <!-- readme-test: servers -->                                           each line is a server
 *   <!-- readme-test: background -->                       a server in a terminal of its own
 *
 * Without a comment a block runs as written and must exit 0. `servers` is for blocks that list
 * alternative long-running commands (`pullstorm serve …`): each line is started on its own,
 * awaited until its output shows the ready text (`"ready":true`, or `ready="…"`), then stopped
 * as Ctrl-C would. `background` is for a server the next block talks to, as a reader would run it
 * in a second terminal: it is started, awaited until its output shows the ready text, and stopped
 * with SIGINT once the next block has run. Whatever a document's blocks leave running is stopped
 * after its last block.
 */

/** What the comment above a block asks for. */
export interface Directive {
  /** Why the block is not run; undefined when it runs. */
  skip?: string;
  /** Binaries the block runs (on PATH); where one is missing the block is skipped, saying which. */
  needs: string[];
  /** Texts the block's output (stdout and stderr) must contain. */
  expect: string[];
  /** The exit code the block must end with. */
  exit: number;
  /** Each line is a server; this text in its output means it is ready. */
  servers?: string;
  /** The block is a server for the next block; this text in its output means it is ready. */
  background?: string;
}

/** One shell block of a document. */
export interface ShellBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  directive: Directive;
}

/** What `pullstorm serve` prints when it listens. */
const READY = '"ready":true';
const SHELLS = new Set(['sh', 'bash', 'shell', 'console']);
const COMMENT = /<!--\s*readme-test:(.*?)-->/s;

/** Parses `key=value` pairs (values bare, "double" or 'single' quoted); an unknown key is an error. */
export function parseDirective(text: string, where: string): Directive {
  const directive: Directive = { needs: [], expect: [], exit: 0 };
  const pair = /([a-z-]+)(?:=(?:"([^"]*)"|'([^']*)'|(\S+)))?/g;
  for (const m of text.matchAll(pair)) {
    const [, key, ...values] = m;
    const value = values.find((v) => v !== undefined);
    if (key === 'skip' && value) directive.skip = value;
    else if (key === 'needs' && value) directive.needs.push(...value.split(/\s+/).filter(Boolean));
    else if (key === 'expect' && value) directive.expect.push(value);
    else if (key === 'exit' && value !== undefined && /^\d+$/.test(value)) directive.exit = Number(value);
    else if (key === 'servers' && value === undefined) directive.servers = READY;
    else if (key === 'background' && value === undefined) directive.background = READY;
    else if (key === 'ready' && value && directive.background !== undefined) directive.background = value;
    else if (key === 'ready' && value) directive.servers = value;
    else
      throw new SyntaxError(
        `${where}: readme-test: expected skip="reason", needs="binaries", expect="text", exit=N, servers, background or ready="text" after either, got '${m[0]}'`,
      );
  }
  return directive;
}

/** The shell blocks of `markdown` in document order, each with its directive. */
export function shellBlocks(markdown: string, file: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  let pending: { text: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const comment = COMMENT.exec(line);
    if (comment) {
      pending = { text: comment[1]!, line: i + 1 };
      continue;
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (fence) {
      const [, , marks, lang] = fence;
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(marks!); i++) body.push(lines[i]!);
      if (SHELLS.has(lang!)) {
        const where = `${file}:${start + 1}`;
        blocks.push({
          file,
          line: start + 1,
          code: `${body.join('\n')}\n`,
          directive: pending ? parseDirective(pending.text, where) : { needs: [], expect: [], exit: 0 },
        });
      } else if (pending) {
        throw new SyntaxError(
          `${file}:${pending.line}: readme-test comment above a ${lang || 'plain'} block, which is never run`,
        );
      }
      pending = undefined;
      continue;
    }
    // A comment applies to the next block only when nothing but blank lines comes between.
    if (pending && line.trim() !== '') {
      throw new SyntaxError(`${file}:${pending.line}: readme-test comment not followed by a shell block`);
    }
  }
  return blocks;
}
