/**
 * Marks every request as work in flight on a caller's tracker, from arrival until its body is sent
 * (or abandoned). The embedded harness runs the stub on a clock that skips idle time: a request
 * being served is not idle. The tracker is structural (`begin()` returns its end), so the stub
 * needs nothing from the harness.
 */
import type { RegistryMiddleware } from './context.ts';

/** Something that counts work in flight; `begin()` returns an idempotent end. */
export interface WorkTracker {
  begin(): () => void;
}

/** `body` that calls `end` once it is read to its end, fails or is cancelled. */
function endWith(body: ReadableStream<Uint8Array>, end: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          end();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        end();
        controller.error(error);
      }
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
}

/** Middleware (outermost) that holds `work` for as long as each request is served. */
export function trackRequests(work: WorkTracker): RegistryMiddleware {
  return async function trackRequest(c, next) {
    const end = work.begin();
    try {
      await next();
    } catch (error) {
      end();
      throw error;
    }
    const res = c.res;
    if (c.req.method === 'HEAD' || res.body === null) {
      end();
      return;
    }
    c.res = new Response(endWith(res.body, end), res);
  };
}
