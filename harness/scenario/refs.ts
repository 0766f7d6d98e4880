/**
 * The small grammars a scenario is written in: names, image references into the scenario's own
 * registries, platforms and repository globs. Each check returns why a text is wrong (a phrase
 * that follows "expected …, got …") or the parsed value, so validation can report it in place.
 */

/** A DNS label (RFC 1123), as Kubernetes names nodes, pods and deployments: `web-1`. */
export const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** What a DNS label is, for messages. */
export const DNS_LABEL_EXPECTS = 'a DNS label (1-63 of a-z, 0-9 and -, starting and ending alphanumeric)';

// The OCI distribution grammar (distribution/reference regexp.go) for the parts after the registry.
const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const repositoryPattern = new RegExp(`^${component}(?:/${component})*$`);
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$/;

/** An image reference split into its parts: `<registry>/<repository>[:tag][@digest]`. */
export interface ImageRef {
  /** Name of a scenario registry (the reference's first component). */
  registry: string;
  /** Repository inside that registry, e.g. `pullstorm/tiny`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** What an image reference is, for messages. */
export const IMAGE_REF_EXPECTS = 'an image reference <registry>/<repository>[:tag][@digest]';

/** Parses `registry/pullstorm/tiny:1.0`; a string result says what is wrong. */
export function parseImageRef(text: string): ImageRef | string {
  const slash = text.indexOf('/');
  if (slash === -1) return 'no registry component';
  const registry = text.slice(0, slash);
  let rest = text.slice(slash + 1);
  let digest: string | undefined;
  const atSign = rest.indexOf('@');
  if (atSign !== -1) {
    digest = rest.slice(atSign + 1);
    rest = rest.slice(0, atSign);
    if (!digestPattern.test(digest)) return `digest '${digest}' is not sha256:<64 hex> or sha512:<128 hex>`;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag))
      return `tag '${tag}' is not 1-128 of [A-Za-z0-9_.-] starting with [A-Za-z0-9_]`;
  }
  if (!DNS_LABEL.test(registry)) return `registry '${registry}' is not a DNS label`;
  if (!repositoryPattern.test(rest)) {
    return `repository '${rest}' is not lowercase components of [a-z0-9] joined by '.', '_', '__' or '-', split by '/'`;
  }
  return { registry, repository: rest, ...(tag === undefined ? {} : { tag }), ...(digest ? { digest } : {}) };
}

/** kubelet's defaulting: no tag and no digest, or tag `latest` → `Always`; else `IfNotPresent`. */
export function defaultPullPolicy(ref: ImageRef): 'Always' | 'IfNotPresent' {
  return ref.tag === 'latest' || (ref.tag === undefined && ref.digest === undefined)
    ? 'Always'
    : 'IfNotPresent';
}

/** GOOS values an image index can name. */
const OSES = ['linux', 'windows', 'darwin', 'freebsd'];
/** GOARCH values an image index can name (the OCI image spec's list). */
const ARCHES = ['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64', 'mips64le', 'loong64', 'wasm'];

/** What a platform is, for messages. */
export const PLATFORM_EXPECTS = 'a platform os/arch[/variant] such as linux/amd64 or linux/arm64/v8';

/** Why `text` is not an `os/arch[/variant]` platform, or `undefined` when it is. */
export function platformProblem(text: string): string | undefined {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_]+$/.test(p))) {
    return 'not os/arch[/variant]';
  }
  const [os, arch] = parts as [string, string];
  if (!OSES.includes(os)) return `unknown os '${os}'; known: ${OSES.join(', ')}`;
  if (!ARCHES.includes(arch)) return `unknown architecture '${arch}'; known: ${ARCHES.join(', ')}`;
  return undefined;
}

/** A repository glob as the stub matches them: `*` matches any characters, `/` included. */
export const REPOSITORY_GLOB = /^[a-z0-9._/*-]+$/;
/** What a repository glob is, for messages. */
export const REPOSITORY_GLOB_EXPECTS =
  "a repository glob such as 'pullstorm/*' or '*' (a-z, 0-9, . _ - / and *)";
