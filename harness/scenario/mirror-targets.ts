/**
 * The fields of the two mirror types the harness does not build itself: `external` (the user's own
 * mirror at a URL: Harbor, Artifactory, Zot, a Spegel or Dragonfly endpoint) and `container` (any
 * mirror image run with testcontainers). Checked and resolved here so validate-registries.ts and
 * defaults.ts each need one call. A container's env, args and files are templates: `{{origin}}` is
 * the origin's URL as the container reaches it, `{{port}}` the mirror's port, `{{name}}` its name.
 */
import { at } from '../../vocab/problem.ts';
import { bool, type Checker, num, type Rule, str } from './check.ts';
import type { MirrorInput, MirrorLoginInput } from './model.ts';
import type { ContainerMirror, ExternalMirror } from './resolved.ts';

/** Fields only an external mirror has. */
export const EXTERNAL_FIELDS = ['url', 'overridePath', 'ca', 'skipVerify', 'upstream'] as const;
/** Fields only a container mirror has. */
export const CONTAINER_FIELDS = ['image', 'port', 'env', 'args', 'files'] as const;

/** The variables a container mirror's env, args and files may use. */
const TEMPLATE_VARIABLES = ['origin', 'port', 'name'] as const;
const TEMPLATE = /\{\{\s*([^}]*?)\s*\}\}/g;

/** The unknown `{{…}}` names in `text` (empty when every one is a template variable). */
export function unknownTemplateNames(text: string): string[] {
  const known: readonly string[] = TEMPLATE_VARIABLES;
  return [...text.matchAll(TEMPLATE)].map((m) => m[1]!).filter((name) => !known.includes(name));
}

/** `text` with every `{{variable}}` replaced (validation has refused unknown names). */
export function fillTemplate(
  text: string,
  values: Record<(typeof TEMPLATE_VARIABLES)[number], string>,
): string {
  return text.replace(TEMPLATE, (whole, name: string) => values[name as 'origin'] ?? whole);
}

const URL_EXPECTS = 'an http:// or https:// URL with a host, e.g. https://harbor.example.com/v2/proxy';
const mirrorUrl = str(URL_EXPECTS, (s) => {
  if (!URL.canParse(s)) return 'not a URL';
  const u = new URL(s);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `scheme ${u.protocol.slice(0, -1)}`;
  if (u.hostname === '') return 'no host';
  if (u.username || u.password) return 'give credentials in credentials, not in the URL';
  if (u.search || u.hash) return 'no query or fragment';
  return true;
});

const HOST_PORT_EXPECTS = 'host:port of an address on this machine, e.g. 127.0.0.1:5091';
/** `host:port` split, or a note saying what is wrong. */
function parseHostPort(s: string): { host: string; port: number } | string {
  const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:.]+\]):(\d{1,5})$/.exec(s);
  if (!m) return 'not host:port';
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return 'port out of 1..65535';
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}
const hostPort = str(HOST_PORT_EXPECTS, (s) => {
  const r = parseHostPort(s);
  return typeof r === 'string' ? r : true;
});

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const template = (what: string): Rule<string> =>
  str(`${what} (a string; may use {{${TEMPLATE_VARIABLES.join('}}, {{')}}})`, (s) => {
    const unknown = unknownTemplateNames(s);
    return unknown.length === 0 || `unknown template variable {{${unknown[0]}}}`;
  });

/** Checks a mapping of string values with `rule` for each value and `key` for each key. */
function stringMap(
  ck: Checker,
  value: unknown,
  path: string,
  keyExpects: string,
  keyOk: (k: string) => boolean,
  rule: Rule<string>,
) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return ck.wrong(path, `a mapping of ${keyExpects} to strings`, value);
  }
  for (const [k, v] of Object.entries(value)) {
    if (!keyOk(k)) ck.wrong(at(path, k), keyExpects, k);
    else rule.check(v, at(path, k), ck);
  }
  return undefined;
}

/** An external mirror's `credentials`: a username and exactly one of password, passwordEnv. */
function checkLogin(ck: Checker, value: unknown, path: string): void {
  const c = ck.mapping(value, path, ['username', 'password', 'passwordEnv']);
  if (!c) return;
  ck.field(
    c,
    path,
    'username',
    str('a username without :', (s) => s !== '' && !s.includes(':')),
    true,
  );
  // Never echo a password: say only what kind of value it was.
  if (c.password != null && typeof c.password !== 'string') ck.add(at(path, 'password'), 'expected a string');
  ck.field(
    c,
    path,
    'passwordEnv',
    str('an environment variable name such as HARBOR_PASSWORD', (s) => envName.test(s)),
  );
  if ((c.password == null) === (c.passwordEnv == null)) {
    ck.add(
      path,
      `expected exactly one of password and passwordEnv, got ${c.password == null ? 'neither' : 'both'}`,
    );
  }
}

/**
 * Checks the fields of an external or container mirror, and refuses them on other types (each
 * says which type it belongs to). `type` is the mirror's type as written (already checked).
 */
export function checkMirrorTarget(ck: Checker, m: Record<string, unknown>, path: string, type: string): void {
  const misplaced = (fields: readonly string[], owner: string) => {
    for (const f of fields) {
      if (m[f] != null && type !== owner)
        ck.add(at(path, f), `${f} belongs to type ${owner}, got type ${type}`);
    }
  };
  misplaced(EXTERNAL_FIELDS, 'external');
  misplaced(CONTAINER_FIELDS, 'container');
  if (type === 'external') {
    ck.field(m, path, 'url', mirrorUrl, true);
    ck.field(m, path, 'overridePath', bool);
    ck.field(
      m,
      path,
      'ca',
      str('an absolute path of a PEM file', (s) => s.startsWith('/')),
    );
    ck.field(m, path, 'skipVerify', bool);
    ck.field(m, path, 'upstream', hostPort);
    if (m.skipVerify === true && m.ca != null)
      ck.add(at(path, 'ca'), 'expected ca or skipVerify: true, got both');
    if (m.credentials != null && typeof m.credentials !== 'string')
      checkLogin(ck, m.credentials, at(path, 'credentials'));
    else if (m.credentials != null)
      ck.wrong(
        at(path, 'credentials'),
        'a mapping with username and password or passwordEnv (what nodes send to the mirror)',
        m.credentials,
      );
  }
  if (type === 'container') {
    ck.field(
      m,
      path,
      'image',
      str('an image reference, e.g. registry:2', (s) => /^[^\s]+$/.test(s)),
      true,
    );
    ck.field(m, path, 'port', num({ min: 1, max: 65535, integer: true }), true);
    if (m.env != null)
      stringMap(
        ck,
        m.env,
        at(path, 'env'),
        'an environment variable name',
        (k) => envName.test(k),
        template('a value'),
      );
    if (m.files != null)
      stringMap(
        ck,
        m.files,
        at(path, 'files'),
        'an absolute path in the container',
        (k) => k.startsWith('/'),
        template('file content'),
      );
    if (m.args != null) {
      const items = ck.list(m.args, at(path, 'args'), 'arguments');
      for (const [i, a] of (items ?? []).entries())
        template('an argument').check(a, at(at(path, 'args'), i), ck);
    }
  }
  if (m.credentials != null && typeof m.credentials !== 'string' && type !== 'external') {
    ck.wrong(at(path, 'credentials'), `a username of the registry's auth (type ${type})`, '[a mapping]');
  }
}

/** The resolved external or container part of a validated mirror (empty for other types). */
export function resolveMirrorTarget(m: MirrorInput): {
  external?: ExternalMirror;
  container?: ContainerMirror;
} {
  if (m.type === 'external') {
    const upstream = m.upstream === undefined ? undefined : parseHostPort(m.upstream);
    const login = m.credentials as MirrorLoginInput | undefined;
    return {
      external: {
        url: m.url!.replace(/\/+$/, ''),
        overridePath: m.overridePath ?? false,
        ...(m.ca === undefined ? {} : { ca: m.ca }),
        skipVerify: m.skipVerify ?? false,
        ...(typeof upstream === 'object' ? { upstream } : {}),
        ...(login ? { login: { ...login } } : {}),
      },
    };
  }
  if (m.type === 'container') {
    return {
      container: {
        image: m.image!,
        port: m.port!,
        env: { ...(m.env ?? {}) },
        ...(m.args ? { args: [...m.args] } : {}),
        files: { ...(m.files ?? {}) },
      },
    };
  }
  return {};
}
