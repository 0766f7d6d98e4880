/**
 * What an error text says about the failed pull besides its cause: the request that failed, the
 * registry, the image, the HTTP status and the digest. Read from the wrappers every client writes
 * (`failed to pull and unpack image "X"`, `Failed to pull image "X"`, `docker://X`, a URL), so it
 * works on texts no rule matched too. Values are data (URLs, digests), shown one a line.
 */

// Where containerd and Go name the request that failed; the first one in the text is reported.
const requestPatterns: readonly [RegExp, string | null][] = [
  [/unexpected status from (HEAD|GET|POST) request to (https?:\/\/\S+?): \d{3}\b/, null],
  [/\b(Head|Get|Post) "(https?:\/\/[^"]+)"/, null],
  [/\b(Head|Get|Post) (https?:\/\/[^\s":]+(?::\d+)?[^\s":]*)/, null],
  [/httpRea(?:d|der)Seeker: failed open: unexpected status code (https?:\/\/\S+?): \d{3}\b/, 'GET'],
  [/content at (https?:\/\/\S+) not found/, 'GET'],
];

// The image as the wrappers quote it, most specific first.
const imagePatterns: readonly RegExp[] = [
  /(?:pull and unpack image|pull image|pulling image|inspect image|Pulling image|image) "(?<image>[^"\s]+)"/,
  /failed to resolve (?:reference|ref) "?(?<image>[^"\s:]+(?::\d+)?\/[^"\s]+?)"?:/,
  /docker:\/\/(?<image>[^\s":]+(?::\d+)?\/[^\s":]+(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?)/,
  /reading manifest (?<tag>\S+) in (?<repository>[^\s:]+(?::\d+)?\/\S+?):/,
];

const statusPattern =
  /\b(?<code>[1-5]\d\d)(?: (?<reason>(?:[A-Z][a-z]+ ?){1,4})\b| \((?<paren>[A-Za-z ]+)\))/;

/** The failed request's method and URL, plus its host, when the text names one. */
export function requestEvidence(text: string): string[] {
  for (const [pattern, method] of requestPatterns) {
    const match = pattern.exec(text);
    if (match === null) continue;
    const [verb, url] = method === null ? [match[1]!, match[2]!] : [method, match[1]!];
    const host = URL.canParse(url) ? new URL(url).host : undefined;
    return host === undefined
      ? [`request: ${verb.toUpperCase()} ${url}`]
      : [`request: ${verb.toUpperCase()} ${url}`, `host: ${host}`];
  }
  return [];
}

/** The image named by the text, if any (`reading manifest T in R` gives `R:T`). */
export function imageOf(text: string): string | undefined {
  for (const pattern of imagePatterns) {
    const groups = pattern.exec(text)?.groups;
    if (groups === undefined) continue;
    if (groups.image !== undefined) return groups.image;
    return `${groups.repository}:${groups.tag}`;
  }
  return undefined;
}

/** The registry host of an image reference: its first component when it looks like a host. */
export function registryOf(image: string): string {
  const first = image.split('/')[0]!;
  return image.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'docker.io';
}

/** Image, registry, HTTP status and digest lines, for what the text names. */
export function pullEvidence(text: string): string[] {
  const lines: string[] = [];
  const image = imageOf(text);
  if (image !== undefined) lines.push(`image: ${image}`, `registry: ${registryOf(image)}`);
  const status = statusPattern.exec(text)?.groups;
  if (status !== undefined && /\b(?:status|HTTP|registry|request|[1-5]\d\d [A-Z])/.test(text)) {
    const reason = status.reason ?? status.paren;
    lines.push(`status: ${status.code}${reason === undefined ? '' : ` ${reason.trim()}`}`);
  }
  const digest = /sha256:[0-9a-f]{64}/.exec(text);
  if (digest !== null) lines.push(`digest: ${digest[0]}`);
  return lines;
}
