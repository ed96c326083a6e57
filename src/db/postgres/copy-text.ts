/** What COPY's text format escapes in a value: the backslash, and the tab and line breaks that end fields and rows. */
const ESCAPED = /[\\\t\n\r]/g
const NEEDS_ESCAPE = /[\\\t\n\r]/
const ESCAPES: Record<string, string> = {'\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r'}

/**
 * Rows as the input of `COPY … FROM STDIN` in its text format: tab-separated, null as \N. Values are crm's own
 * (text, numbers, bigint fen), so nothing else needs escaping.
 */
export function copyText(rows: readonly (readonly unknown[])[]): string {
  let text = ''
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const value = row[i]
      if (i > 0) text += '\t'
      if (value === null || value === undefined) text += '\\N'
      else if (typeof value === 'string')
        text += NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (c) => ESCAPES[c]) : value
      else text += String(value)
    }
    text += '\n'
  }
  return text
}
