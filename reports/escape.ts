/**
 * Escaping for each output language. Error texts come from registries, proxies and containerd and
 * may hold anything (ANSI colours, NULs, lone surrogates), so every text passes through `clean`
 * first: XML 1.0 forbids most control characters, and a browser would show them as garbage.
 */

// ANSI colour/cursor sequences carry no meaning in a file; drop them whole, not char by char.
const ansi = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
// C0 controls other than tab, LF, CR; DEL; lone surrogates; U+FFFE/U+FFFF (not XML characters).
const invalid =
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Removes ANSI sequences and replaces characters XML cannot hold with U+FFFD. */
export function clean(text: string): string {
  return text.replace(ansi, '').replace(invalid, '\ufffd');
}

const xmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text safe in XML element content and in single- or double-quoted attributes. */
export function escapeXml(text: string): string {
  return clean(text).replace(/[&<>"']/g, (c) => xmlEntities[c]!);
}

// Attributes keep newlines only as character references; a raw one would be normalised to a space.
/** Text safe in an XML attribute, with newlines and tabs preserved as character references. */
export function escapeXmlAttr(text: string): string {
  return escapeXml(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in HTML (and inline SVG) content and quoted attributes. */
export function escapeHtml(text: string): string {
  return clean(text).replace(/[&<>"']/g, (c) => htmlEntities[c]!);
}

/**
 * Text safe in one Markdown table cell: pipes and newlines would break the row, and `<`, `*`, `_`,
 * backticks and brackets would turn error texts into HTML, emphasis, code or links on GitHub.
 */
export function escapeMarkdownCell(text: string): string {
  return clean(text)
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]|]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
