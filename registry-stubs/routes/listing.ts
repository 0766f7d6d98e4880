/**
 * `/v2/<name>/tags/list` and `/v2/_catalog`, both paginated with `n` and `last` and an RFC 5988
 * `Link: <…?n=&last=>; rel="next"` header while more entries remain.
 */
import { clip } from '../bounded.ts';
import type { RegistryContext } from '../context.ts';
import { RegistryError } from '../errors.ts';
import { jsonResponse, type MethodTable, type RouteHandler, repositoryOf } from './common.ts';

/** One page of a sorted list and the `Link` header to the next page, if any. */
export interface Page {
  items: string[];
  link?: string;
}

/** Pages `sorted` by the request's `n` (page size; default all) and `last` (exclusive start). */
export function paginate(c: RegistryContext, sorted: readonly string[], path: string): Page {
  const nParam = c.req.query('n');
  const last = c.req.query('last');
  let items = last === undefined ? [...sorted] : sorted.filter((s) => s > last);
  if (nParam === undefined) return { items };
  if (!/^\d+$/.test(nParam)) {
    throw new RegistryError(
      'PAGINATION_NUMBER_INVALID',
      `n must be a non-negative integer; got '${clip(nParam, 40)}'`,
      {
        detail: { n: clip(nParam, 40) },
      },
    );
  }
  const n = Number(nParam);
  const more = items.length > n;
  items = items.slice(0, n);
  const end = items.at(-1);
  if (!more || end === undefined) return { items };
  return { items, link: `<${path}?n=${n}&last=${encodeURIComponent(end)}>; rel="next"` };
}

function withLink(page: Page): Record<string, string> {
  return page.link === undefined ? {} : { Link: page.link };
}

const listTags: RouteHandler = async (c, { store }) => {
  const name = repositoryOf(c);
  const tags = await store.tags(name);
  if (tags === undefined) {
    throw new RegistryError('NAME_UNKNOWN', `repository '${name}' is not known to this registry`, {
      detail: { name },
    });
  }
  const page = paginate(c, tags, `/v2/${name}/tags/list`);
  return jsonResponse({ name, tags: page.items }, withLink(page));
};

const listCatalog: RouteHandler = async (c, { store }) => {
  const page = paginate(c, await store.repositories(), '/v2/_catalog');
  return jsonResponse({ repositories: page.items }, withLink(page));
};

/** Tags-list handlers by method. */
export const tagsRoutes: MethodTable = { GET: listTags, HEAD: listTags };

/** Catalog handlers by method. */
export const catalogRoutes: MethodTable = { GET: listCatalog, HEAD: listCatalog };
