/**
 * The custom metrics every pullstorm k6 script reports, named as pullstorm's analysis names them, so a
 * k6 summary and a pullstorm report can be read side by side.
 */
import { Counter, Rate, Trend } from 'k6/metrics';

/** Responses with status 429 (`toomanyrequests`), tagged by route. */
export const tooManyRequests = new Counter('registry_429s');
/** Blob bytes received: what the origin (or the mirror in front of it) served. */
// A count of bytes, not a duration: k6's `isTime` flag would show it as milliseconds in the summary.
export const originBytes = new Counter('registry_origin_bytes');
/** Whole-image pulls that ended with every blob present and its digest right. */
export const pullOk = new Rate('registry_pull_ok');
/** Wall time of one whole-image pull (resolve, manifests, blobs). */
export const pullDuration = new Trend('registry_pull_duration', true);
/** Blobs whose content did not match their digest (corrupt or truncated). */
export const digestMismatches = new Counter('registry_digest_mismatches');
