/**
 * `/v2/`: the API version check every client pings first. Auth (401 with a challenge) happens
 * before this handler, so reaching it means the client may talk to the registry.
 */
import { jsonResponse, type MethodTable, type RouteHandler } from './common.ts';

const ping: RouteHandler = () => jsonResponse({});

/** Base-route handlers by method. */
export const baseRoutes: MethodTable = { GET: ping, HEAD: ping };
