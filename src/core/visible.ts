// C0 controls, DEL, C1 controls (ESC and CSI among them), and the bidirectional overrides that reorder what a
// terminal shows: none of them may reach a terminal from the data.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
const UNSAFE_TEST = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/
const NAMED: Readonly<Record<string, string>> = {'\t': '\\t', '\n': '\\n', '\r': '\\r', '\u001b': '\\e'}

/**
 * Text from the data as a terminal may show it: control characters are written as escapes (\n, \t, \r, \e for ESC,
 * \xHH or \uHHHH for the rest), so a colour code, a window title or a clear-screen sequence in a note is seen, not
 * obeyed. Everything else is left as it is; the data itself keeps its bytes.
 */
export function visible(text: string): string {
  if (!UNSAFE_TEST.test(text)) return text
  return text.replace(UNSAFE, (c) => NAMED[c] ?? escapeCode(c.charCodeAt(0)))
}

function escapeCode(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * The same for text of several lines that crm wrote itself (an error with the line it points at): its line breaks stay.
 */
export function visibleLines(text: string): string {
  return text.includes('\n') ? text.split('\n').map(visible).join('\n') : visible(text)
}

const UNSAFE_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/**
 * Output for scripts (CSV, TSV, JSON) that goes to a terminal rather than a file or a pipe: its line breaks and tabs
 * are the format's own and stay; every other control character is shown as in visible(), or in JSON as a \u escape
 * (JSON escapes C0 itself, but not C1 or the bidirectional overrides), which reads back as the same text.
 */
export function terminalSafe(text: string, json = false): string {
  return text.replace(UNSAFE_BUT_LINES, (c) =>
    json ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : (NAMED[c] ?? escapeCode(c.charCodeAt(0))),
  )
}
