/**
 * `/v2/<name>/blobs/uploads/[<id>]`: monolithic `POST ?digest=`, POST then PUT, chunked PATCH
 * (in order, `Content-Range: a-b`), status GET, cancel DELETE and cross-repository mount.
 */
import { clip } from '../bounded.ts';
import type { RegistryContext } from '../context.ts';
import { RegistryError } from '../errors.ts';
import { nameProblem, parseDigest } from '../grammar.ts';
import type { AppendExpectation, UploadState } from '../storage/types.ts';
import {
  blobPath,
  emptyResponse,
  type MethodTable,
  type RouteDeps,
  type RouteHandler,
  referenceOf,
  repositoryOf,
  uploadPath,
} from './common.ts';

function digestParam(c: RegistryContext, name: string): string {
  const value = c.req.query(name);
  if (value === undefined || value === '') {
    throw new RegistryError(
      'DIGEST_INVALID',
      `the ${name} query parameter is missing; expected ?${name}=sha256:<hex>`,
    );
  }
  const parsed = parseDigest(value);
  if (typeof parsed === 'string')
    throw new RegistryError('DIGEST_INVALID', parsed, { detail: { digest: clip(value) } });
  return value;
}

/** Range header value for an upload of `size` bytes: `0-<last byte>`, `0-0` while empty (as distribution). */
export function progressRange(size: number): string {
  return `0-${Math.max(0, size - 1)}`;
}

function progressHeaders(state: UploadState): Record<string, string> {
  return {
    Location: uploadPath(state.repository, state.id),
    Range: progressRange(state.size),
    'Docker-Upload-UUID': state.id,
  };
}

function created(repository: string, digest: string): Response {
  return emptyResponse(201, { Location: blobPath(repository, digest), 'Docker-Content-Digest': digest });
}

// Content-Range on a chunk, per the spec `^[0-9]+-[0-9]+$`; anything else is refused with 416.
function chunkExpectation(c: RegistryContext, state: UploadState): AppendExpectation {
  const header = c.req.header('Content-Range');
  if (header === undefined) return {};
  const match = /^(\d+)-(\d+)$/.exec(header.trim());
  if (match === null || Number(match[2]) < Number(match[1])) {
    throw new RegistryError(
      'RANGE_INVALID',
      `Content-Range must be <start>-<end> with end >= start; got '${header}'`,
      {
        headers: progressHeaders(state),
      },
    );
  }
  return { offset: Number(match[1]), length: Number(match[2]) - Number(match[1]) + 1 };
}

function hasBody(c: RegistryContext): boolean {
  const length = c.req.header('Content-Length');
  if (length !== undefined) return Number(length) > 0;
  return c.req.raw.body !== null;
}

async function session(c: RegistryContext, store: RouteDeps['store']): Promise<UploadState> {
  const state = await store.getUpload(repositoryOf(c), referenceOf(c));
  if (state === undefined) {
    throw new RegistryError(
      'BLOB_UPLOAD_UNKNOWN',
      `no upload session '${referenceOf(c)}' in repository '${repositoryOf(c)}'`,
      { detail: { repository: repositoryOf(c), id: referenceOf(c) } },
    );
  }
  return state;
}

// Appends the request body, turning a 416 from the store into one that tells the client where to resume.
async function appendBody(c: RegistryContext, deps: RouteDeps, state: UploadState) {
  const expect = chunkExpectation(c, state);
  if (expect.offset !== undefined && expect.offset !== state.size) {
    throw new RegistryError(
      'RANGE_INVALID',
      `chunk starts at byte ${expect.offset}; the upload has ${state.size} bytes, so the next chunk must start at ${state.size}`,
      { headers: progressHeaders(state), detail: { offset: expect.offset, size: state.size } },
    );
  }
  if (!hasBody(c) && expect.length === undefined) return state;
  const data = deps.uploads.bounded(c.req.raw, state);
  try {
    return await deps.store.appendUpload(state.repository, state.id, data, expect);
  } catch (err) {
    if (err instanceof RegistryError && err.status === 416) {
      const now = (await deps.store.getUpload(state.repository, state.id)) ?? state;
      throw new RegistryError(err.code, err.message, { headers: progressHeaders(now), detail: err.detail });
    }
    throw err;
  }
}

const startUpload: RouteHandler = async (c, deps) => {
  const repository = repositoryOf(c);
  const { store } = deps;
  const mount = c.req.query('mount');
  if (mount !== undefined) {
    const digest = digestParam(c, 'mount');
    const from = c.req.query('from');
    // Mounting needs pull on the source; without it (or without `from`) this is a plain upload, as in distribution.
    if (from !== undefined && nameProblem(from) === undefined && c.get('principal').can(from, 'pull')) {
      if (await store.mountBlob(from, repository, digest)) return created(repository, digest);
    }
  }
  const client = c.get('client');
  if (c.req.query('digest') !== undefined) {
    const digest = digestParam(c, 'digest');
    await deps.uploads.admit(client);
    const state = await store.createUpload(repository);
    deps.uploads.opened(client, state.id);
    try {
      await appendBody(c, deps, state);
    } catch (err) {
      await store.cancelUpload(repository, state.id);
      throw err;
    } finally {
      deps.uploads.ended(state.id);
    }
    await store.completeUpload(repository, state.id, digest);
    return created(repository, digest);
  }
  await deps.uploads.admit(client);
  const state = await store.createUpload(repository);
  deps.uploads.opened(client, state.id);
  return emptyResponse(202, progressHeaders(state));
};

const uploadStatus: RouteHandler = async (c, { store }) =>
  emptyResponse(204, progressHeaders(await session(c, store)));

const patchUpload: RouteHandler = async (c, deps) => {
  const state = await appendBody(c, deps, await session(c, deps.store));
  return emptyResponse(202, progressHeaders(state));
};

const finishUpload: RouteHandler = async (c, deps) => {
  const state = await session(c, deps.store);
  const digest = digestParam(c, 'digest');
  await appendBody(c, deps, state);
  try {
    await deps.store.completeUpload(state.repository, state.id, digest);
  } finally {
    deps.uploads.ended(state.id); // the session ends either way, as in distribution
  }
  return created(state.repository, digest);
};

const cancelUpload: RouteHandler = async (c, { store, uploads }) => {
  const state = await session(c, store);
  await store.cancelUpload(state.repository, state.id);
  uploads.ended(state.id);
  return emptyResponse(204, { 'Docker-Upload-UUID': state.id });
};

/** Handlers for `/blobs/uploads/` (no session id yet). */
export const uploadStartRoutes: MethodTable = { POST: startUpload };

/** Handlers for `/blobs/uploads/<id>`. */
export const uploadSessionRoutes: MethodTable = {
  GET: uploadStatus,
  HEAD: uploadStatus,
  PATCH: patchUpload,
  PUT: finishUpload,
  DELETE: cancelUpload,
};
