/**
 * The version reports name as their generator. Read from package.json through a JSON import so it
 * works unchanged on Node.js and Deno and cannot drift from the published package.
 */
import pkg from '../package.json' with { type: 'json' };

/** pullstorm's version, e.g. `0.1.0`. */
export const PULLSTORM_VERSION: string = pkg.version;

/** The default `generator` of every report: `pullstorm <version>`. */
export const DEFAULT_GENERATOR = `pullstorm ${PULLSTORM_VERSION}`;
