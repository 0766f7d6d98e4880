/**
 * Small Web-stream helpers. They use readers rather than `for await` over a ReadableStream
 * because the DOM typings the project compiles against do not declare stream async iteration.
 */

/** Yields every chunk of a stream (or the bytes themselves once); cancels the stream if the loop exits early. */
export async function* chunksOf(data: Uint8Array | ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (data instanceof Uint8Array) {
    yield data;
    return;
  }
  const reader = data.getReader();
  let done = false;
  try {
    while (true) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** Default chunk size for `viewStream`: 1 MiB keeps per-chunk overhead negligible for big blobs. */
export const viewChunkSize = 1 << 20;

/**
 * A stream of views (`subarray`, no copies) over `bytes`, pulled on demand so the socket's
 * back-pressure decides the pace; chunk size defaults to 1 MiB.
 */
export function viewStream(bytes: Uint8Array, chunkSize = viewChunkSize): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.byteLength) {
          controller.close();
          return;
        }
        const end = Math.min(offset + chunkSize, bytes.byteLength);
        controller.enqueue(bytes.subarray(offset, end));
        offset = end;
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Wraps a body stream to count the bytes handed on; `done(bytes, complete)` is called exactly
 * once, when the stream ends (complete), errors or is cancelled by the consumer (not complete).
 */
export function meterStream(
  body: ReadableStream<Uint8Array>,
  done: (bytes: number, complete: boolean) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let bytes = 0;
  let finished = false;
  const finish = (complete: boolean) => {
    if (finished) return;
    finished = true;
    done(bytes, complete);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await reader.read();
          if (next.done) {
            finish(true);
            controller.close();
            return;
          }
          bytes += next.value.byteLength;
          controller.enqueue(next.value);
        } catch (err) {
          finish(false);
          controller.error(err);
        }
      },
      async cancel(reason) {
        finish(false);
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
