/**
 * Just enough of the tar format (POSIX ustar) for Docker's archive APIs: a build context written as a
 * stream (no gzip: compressing the ~120 MB Node binary cost seconds per build and the engine is local),
 * and one file read back from `GET /containers/{id}/archive`.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

/** One entry of an archive to write. */
export type TarEntry =
  | { type: 'dir'; path: string; mode: number }
  | { type: 'file'; path: string; mode: number; size: number; content: string | Uint8Array }
  | { type: 'file'; path: string; mode: number; size: number; source: string };

const BLOCK = 512;
const encoder = new TextEncoder();

/** Writes `entries` as an uncompressed tar stream; files with `source` are streamed from disk. */
export function tarStream(entries: TarEntry[]): Readable {
  return Readable.from(
    (async function* () {
      for (const entry of entries) {
        const size = entry.type === 'dir' ? 0 : entry.size;
        yield header(
          entry.type === 'dir' ? `${entry.path.replace(/\/$/, '')}/` : entry.path,
          entry.mode,
          size,
          entry.type,
        );
        if (entry.type === 'dir') continue;
        let written = 0;
        if ('source' in entry) {
          for await (const chunk of createReadStream(entry.source)) {
            written += (chunk as Buffer).length;
            yield chunk as Buffer;
          }
        } else {
          const bytes = typeof entry.content === 'string' ? encoder.encode(entry.content) : entry.content;
          written = bytes.length;
          yield bytes;
        }
        // A size that changed while streaming would shift every later header: fail instead.
        if (written !== size) throw new Error(`tar: ${entry.path} is ${written} bytes, expected ${size}`);
        if (size % BLOCK) yield new Uint8Array(BLOCK - (size % BLOCK));
      }
      yield new Uint8Array(BLOCK * 2);
    })(),
    { objectMode: false },
  );
}

function header(path: string, mode: number, size: number, type: 'dir' | 'file'): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const name = encoder.encode(path);
  // ustar splits long names at a '/' into prefix (155) and name (100).
  let prefix = new Uint8Array(0);
  let rest = name;
  if (name.length > 100) {
    const cut = path.lastIndexOf('/', 155);
    if (cut <= 0 || name.length - cut - 1 > 100)
      throw new RangeError(`tar: path too long for ustar: ${path}`);
    prefix = encoder.encode(path.slice(0, cut));
    rest = encoder.encode(path.slice(cut + 1));
  }
  block.set(rest, 0);
  const octal = (value: number, width: number, at: number) =>
    block.set(encoder.encode(`${value.toString(8).padStart(width - 1, '0')}\0`), at);
  octal(mode, 8, 100);
  octal(0, 8, 108); // uid root
  octal(0, 8, 116); // gid root
  octal(size, 12, 124);
  octal(0, 12, 136); // mtime: fixed, so equal content gives an equal archive
  block.set(encoder.encode(type === 'dir' ? '5' : '0'), 156);
  block.set(encoder.encode('ustar\u000000'), 257);
  block.set(prefix, 345);
  block.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.set(encoder.encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
  return block;
}

/**
 * Reads the first regular file of a tar stream (as Docker's archive API returns for one file path);
 * archives over `limit` bytes (default 16 MiB) are refused, since this is for small files.
 */
export async function readFirstFile(
  stream: NodeJS.ReadableStream,
  limit = 16 * 1024 * 1024,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.length;
    if (total > limit) throw new RangeError(`tar: archive larger than ${limit} bytes`);
    chunks.push(bytes);
  }
  const archive = Buffer.concat(chunks);
  for (let at = 0; at + BLOCK <= archive.length; ) {
    const block = archive.subarray(at, at + BLOCK);
    if (block.every((byte) => byte === 0)) break;
    const size = Number.parseInt(
      block.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0',
      8,
    );
    const type = String.fromCharCode(block[156] ?? 0);
    // '0' and NUL are regular files; pax ('x', 'g') and directory headers are skipped.
    if (type === '0' || type === '\0') return new Uint8Array(archive.subarray(at + BLOCK, at + BLOCK + size));
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new Error('tar: no regular file in the archive');
}
