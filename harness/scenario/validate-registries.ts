/**
 * Checks `registries` (auth users, fixtures, mirrors) and the `images` aliases, and records the
 * registry, user, mirror and alias names the workload and faults refer to.
 */
import { FIXTURE_NAMES } from '../../registry-stubs/fixtures/catalogue.ts';
import type { Known } from '../../vocab/context.ts';
import { at } from '../../vocab/problem.ts';
import { bool, type Checker, closest, eachOf, num, oneOf, type Rule, size, str } from './check.ts';
import { DEFAULTS } from './defaults.ts';
import { CONTAINER_FIELDS, checkMirrorTarget, EXTERNAL_FIELDS } from './mirror-targets.ts';
import {
  IMAGE_REF_EXPECTS,
  type ImageRef,
  parseImageRef,
  REPOSITORY_GLOB,
  REPOSITORY_GLOB_EXPECTS,
} from './refs.ts';
import { label } from './validate-backend.ts';
import { checkMirrorPlacement, MIRROR_PLACEMENT_FIELDS } from './validate-mirror-placement.ts';

const REGISTRY_FIELDS = ['name', 'tls', 'auth', 'fixtures', 'mirrors'];
const AUTH_FIELDS = ['mode', 'users', 'anonymous'];
const ACCESS_FIELDS = ['repositories', 'actions'];
const USER_FIELDS = ['username', 'password', ...ACCESS_FIELDS];
const FIXTURES_FIELDS = ['include', 'largeSizeBytes', 'largeLayers'];

const glob = str(REPOSITORY_GLOB_EXPECTS, (s) => REPOSITORY_GLOB.test(s));
const action = oneOf(['pull', 'push', 'delete']);
const fixture = oneOf(FIXTURE_NAMES);
const username = str('a username without :', (s) => s !== '' && !s.includes(':'));

/** Checks `registries` and records registries, users and mirrors in `known`. */
export function checkRegistries(ck: Checker, value: unknown, known: Known): void {
  if (value === undefined || value === null) {
    known.registries = new Map([[DEFAULTS.registry, { auth: false }]]);
    known.hosts = new Set([DEFAULTS.registry]);
    return;
  }
  const list = ck.list(value, 'registries', 'registries', 1);
  if (!list) return;
  const registries = new Map<string, { auth: boolean; users?: string[] }>();
  const hosts = new Map<string, string>();
  let complete = true;
  // Registries and mirrors share one namespace: fault scopes name either.
  const claim = (name: string | undefined, path: string) => {
    if (name === undefined) complete = false;
    else if (hosts.has(name))
      ck.wrong(path, 'a name no other registry or mirror has', name, `${hosts.get(name)} has it`);
    else hosts.set(name, path);
  };
  for (const [i, item] of list.entries()) {
    const path = at('registries', i);
    const r = ck.mapping(item, path, REGISTRY_FIELDS);
    if (!r) {
      complete = false;
      continue;
    }
    const name = ck.field(r, path, 'name', label, true);
    claim(name, at(path, 'name'));
    ck.field(r, path, 'tls', bool);
    const users = r.auth == null ? undefined : checkAuth(ck, r.auth, at(path, 'auth'));
    if (name !== undefined) registries.set(name, { auth: r.auth != null, ...(users ? { users } : {}) });
    if (r.fixtures != null) checkFixtures(ck, r.fixtures, at(path, 'fixtures'));
    if (r.mirrors == null) continue;
    for (const [j, mirror] of (ck.list(r.mirrors, at(path, 'mirrors'), 'mirrors', 1) ?? []).entries()) {
      const mpath = at(at(path, 'mirrors'), j);
      const m = ck.mapping(mirror, mpath, [...MIRROR_FIELDS, ...MIRROR_PLACEMENT_FIELDS]);
      claim(m && ck.field(m, mpath, 'name', label, true), at(mpath, 'name'));
      if (m) checkMirror(ck, m, mpath, users);
      if (m) checkMirrorPlacement(ck, m, mpath, known);
    }
  }
  if (!complete) return;
  known.registries = registries;
  known.hosts = new Set(hosts.keys());
}

const mirrorType = oneOf(['distribution', 'nginx', 'pull-through-cache', 'stub', 'external', 'container']);
const MIRROR_FIELDS = ['name', 'type', 'credentials', 'lock', ...EXTERNAL_FIELDS, ...CONTAINER_FIELDS];

/** A mirror's type, its origin credentials (a user of the registry) and nginx's lock. */
function checkMirror(ck: Checker, m: Record<string, unknown>, path: string, users: string[] | undefined) {
  const type = ck.field(m, path, 'type', mirrorType) ?? 'distribution';
  ck.field(m, path, 'lock', bool);
  if (m.lock != null && type !== 'nginx') {
    ck.add(
      at(path, 'lock'),
      `lock is nginx's proxy_cache_lock; expected it only on type nginx, got type ${type}`,
    );
  }
  checkMirrorTarget(ck, m, path, type);
  if (m.credentials == null || type === 'external' || typeof m.credentials === 'object') return;
  const user = ck.field(m, path, 'credentials', username);
  if (user === undefined) return;
  if (type !== 'distribution' && type !== 'pull-through-cache') {
    ck.add(
      at(path, 'credentials'),
      `only a distribution mirror pulls from the registry with credentials, got type ${type}`,
    );
  } else if (users === undefined) {
    ck.add(
      at(path, 'credentials'),
      `expected a username of this registry's auth, got '${user}' and the registry has no auth`,
    );
  } else if (!users.includes(user)) {
    ck.add(
      at(path, 'credentials'),
      `expected a username of this registry's auth (${users.join(', ')}), got '${user}'`,
    );
  }
}

function checkFixtures(ck: Checker, value: unknown, path: string): void {
  const f = ck.mapping(value, path, FIXTURES_FIELDS);
  if (!f) return;
  eachOf(ck, f, path, 'include', fixture);
  ck.field(f, path, 'largeSizeBytes', size);
  ck.field(f, path, 'largeLayers', num({ min: 1, max: 64, integer: true }));
}

/** Checks one registry's auth; returns its usernames when every user is well-formed. */
function checkAuth(ck: Checker, value: unknown, path: string): string[] | undefined {
  const a = ck.mapping(value, path, AUTH_FIELDS);
  if (!a) return undefined;
  ck.field(a, path, 'mode', oneOf(['basic', 'token']), true);
  if (a.users == null) ck.add(at(path, 'users'), 'required field missing; expected a list of users');
  const list = a.users == null ? undefined : ck.list(a.users, at(path, 'users'), 'users', 1);
  const users: string[] = [];
  let complete = list !== undefined;
  for (const [i, item] of (list ?? []).entries()) {
    const upath = at(at(path, 'users'), i);
    const u = ck.mapping(item, upath, USER_FIELDS);
    if (!u) {
      complete = false;
      continue;
    }
    const name = ck.field(u, upath, 'username', username, true);
    if (name === undefined) complete = false;
    else if (users.includes(name)) ck.wrong(at(upath, 'username'), 'a username not already listed', name);
    else users.push(name);
    // Never echo a password, not even a malformed one: say only what kind of value it was.
    if (u.password == null) ck.add(at(upath, 'password'), 'required field missing; expected a string');
    else if (typeof u.password !== 'string') {
      ck.add(at(upath, 'password'), `expected a string, got ${kindOf(u.password)}`);
    }
    checkAccess(ck, u, upath);
  }
  if (a.anonymous != null) {
    for (const [i, item] of (
      ck.list(a.anonymous, at(path, 'anonymous'), 'access rules', 1) ?? []
    ).entries()) {
      const rpath = at(at(path, 'anonymous'), i);
      const rule = ck.mapping(item, rpath, ACCESS_FIELDS);
      if (rule) checkAccess(ck, rule, rpath);
    }
  }
  return complete ? users : undefined;
}

function checkAccess(ck: Checker, record: Record<string, unknown>, path: string): void {
  eachOf(ck, record, path, 'repositories', glob);
  eachOf(ck, record, path, 'actions', action);
}

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/** A rule for an image reference whose first component names a known registry. */
export function imageRef(known: Known): Rule<ImageRef> {
  return {
    expects: IMAGE_REF_EXPECTS,
    check(value, path, ck) {
      if (typeof value !== 'string') return ck.wrong(path, IMAGE_REF_EXPECTS, value);
      const ref = parseImageRef(value);
      if (typeof ref === 'string') return ck.wrong(path, IMAGE_REF_EXPECTS, value, ref);
      if (known.registries && !known.registries.has(ref.registry)) {
        const names = [...known.registries.keys()];
        const guess = closest(ref.registry, names);
        return ck.wrong(
          path,
          `a reference whose first component names a registry (${names.join(', ')})`,
          value,
          guess ? `did you mean '${guess}/…'?` : undefined,
        );
      }
      return ref;
    },
  };
}

/** Checks `images` and records the aliases in `known`. */
export function checkImages(ck: Checker, value: unknown, known: Known): void {
  if (value === undefined || value === null) {
    known.aliases = new Map();
    return;
  }
  const list = ck.list(value, 'images', 'image aliases');
  if (!list) return;
  const aliases = new Map<string, string>();
  let complete = true;
  for (const [i, item] of list.entries()) {
    const path = at('images', i);
    const a = ck.mapping(item, path, ['name', 'ref']);
    const name = a && ck.field(a, path, 'name', label, true);
    const ref = a && ck.field(a, path, 'ref', imageRef(known), true);
    if (!a || name === undefined) {
      complete = false;
      continue;
    }
    if (aliases.has(name)) ck.wrong(at(path, 'name'), 'an alias not already defined', name);
    // A broken ref still declares the alias, so workload references to it are not reported again.
    aliases.set(name, ref ? (a.ref as string) : '');
  }
  if (complete) known.aliases = aliases;
}
