/**
 * Escapes text for HTML element content and double- or single-quoted attribute values. Every string that comes
 * from a study (names, parameters, metric names, log tails) passes through here before it reaches the page.
 */
export function escapeHtml(s: unknown): string {
  return String(s)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/**
 * Escapes text for a Markdown table cell or line: Markdown renderers pass raw HTML through, so `<`, `>` and
 * `&` become entities; `|` would end the cell, backticks and emphasis markers would start formatting, and a
 * newline would end the row.
 */
export function escapeMarkdown(s: unknown): string {
  // Quotes stay as they are: they only need escaping inside HTML attributes, and `&quot;` would show in plain text.
  return String(s)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/([\\`*_[\]|#])/g, '\\$1')
    .replace(/\r?\n/g, ' ')
}
