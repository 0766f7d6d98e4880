/**
 * Content digests. WebCrypto has no incremental hash, and uploads arrive in chunks or streams,
 * so this uses `node:crypto` (also provided by Deno 2).
 */
import { createHash } from 'node:crypto';
import type { DigestAlgorithm } from './grammar.ts';

/** Digest (`algorithm:hex`) of the concatenation of `chunks`; algorithm defaults to sha256. */
export function digestOf(
  chunks: Uint8Array | readonly Uint8Array[],
  algorithm: DigestAlgorithm = 'sha256',
): string {
  const hash = createHash(algorithm);
  for (const chunk of chunks instanceof Uint8Array ? [chunks] : chunks) hash.update(chunk);
  return `${algorithm}:${hash.digest('hex')}`;
}

/** Digest and length of everything an (async) iterable of chunks yields; algorithm defaults to sha256. */
export async function digestOfStream(
  chunks: AsyncIterable<Uint8Array>,
  algorithm: DigestAlgorithm = 'sha256',
): Promise<{ digest: string; size: number }> {
  const hash = createHash(algorithm);
  let size = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { digest: `${algorithm}:${hash.digest('hex')}`, size };
}

/** Concatenates chunks into one array (one copy); returns the only chunk itself when there is one. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
