/**
 * Request bodies read with a ceiling: the declared `Content-Length` is checked before a byte is
 * read, and a body without one (chunked) is counted while it streams, so a client cannot make the
 * server buffer more than `limit` bytes by leaving the length out.
 */
import { PullstormError } from '../vocab/errors.ts';
import { chunksOf } from './streams.ts';

/** A body longer than the limit: `size` is the declared length, or the bytes read when it passed the limit. */
export class BodyTooLarge extends PullstormError {
  override readonly name = 'BodyTooLarge';
  readonly size: number;
  readonly limit: number;
  /** True when `size` came from Content-Length (the body was not read). */
  readonly declared: boolean;
  constructor(size: number, limit: number, declared: boolean) {
    super(`body is ${declared ? '' : 'more than '}${size} bytes; at most ${limit} accepted`);
    this.size = size;
    this.limit = limit;
    this.declared = declared;
  }
}

/** The declared Content-Length as a number, or undefined when absent or not a decimal integer. */
export function declaredLength(header: string | null | undefined): number | undefined {
  return header !== null && header !== undefined && /^\s*\d{1,16}\s*$/.test(header)
    ? Number(header)
    : undefined;
}

/** Reads `request`'s body into one array, throwing {@link BodyTooLarge} past `limit` bytes (the rest is not read). */
export async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  const declared = declaredLength(request.headers.get('Content-Length'));
  if (declared !== undefined && declared > limit) throw new BodyTooLarge(declared, limit, true);
  if (request.body === null) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunksOf(request.body)) {
    size += chunk.byteLength;
    // Leaving the loop cancels the stream (chunksOf), so the rest is never buffered.
    if (size > limit) throw new BodyTooLarge(size, limit, false);
    parts.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}

/** Reads a body as UTF-8 text with {@link readLimited}. */
export async function readTextLimited(request: Request, limit: number): Promise<string> {
  return new TextDecoder().decode(await readLimited(request, limit));
}

// One read per request: a fault layer and the handler may both want the same form body.
const texts = new WeakMap<Request, Promise<string>>();

/** {@link readTextLimited}, once per request: later calls get the same text (or the same error). */
export function readTextOnce(request: Request, limit: number): Promise<string> {
  let text = texts.get(request);
  if (text === undefined) {
    text = readTextLimited(request, limit);
    texts.set(request, text);
  }
  return text;
}
