/** Small helpers over k6/http responses: case-insensitive headers, 429 accounting. */
import type { RefinedResponse, ResponseType } from 'k6/http';
import { tooManyRequests } from './metrics.ts';

/** A response header by name, whatever the case (k6 gives Go's canonical form, e.g. `Www-Authenticate`). */
export function header(res: RefinedResponse<ResponseType | undefined>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const key of Object.keys(res.headers)) if (key.toLowerCase() === want) return res.headers[key];
  return undefined;
}

/** Counts a 429 under its route; returns the response. */
export function account<R extends RefinedResponse<ResponseType | undefined>>(res: R, route: string): R {
  if (res.status === 429) tooManyRequests.add(1, { route });
  return res;
}
