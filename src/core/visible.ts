// C0 controls, DEL, C1 controls (ESC and CSI among them), and the format characters (Cf): the bidirectional overrides
// that reorder what a terminal shows (U+202E makes "exe.txt" of "txt.exe"), and the invisible ones (U+200B zero width
// space, U+2060 word joiner, U+FEFF) that make two different texts look the same. None of them may reach a terminal
// from the data. A zero width joiner between two emoji is part of the one emoji they make (👨‍👩‍👧), and stays.
const UNSAFE = new RegExp(
  String.raw`(?<!\p{Extended_Pictographic}\uFE0F?)\u200d|\u200d(?!\p{Extended_Pictographic})|` +
    String.raw`[\u0000-\u001f\u007f-\u009f]|[^\P{Cf}\u200d]`,
  'gu',
)
const UNSAFE_TEST = /[\u0000-\u001f\u007f-\u009f\p{Cf}]/u
const NAMED: Readonly<Record<string, string>> = {'\t': '\\t', '\n': '\\n', '\r': '\\r', '\u001b': '\\e'}

/**
 * Text from the data as a terminal may show it: control and format characters are written as escapes (\n, \t, \r, \e
 * for ESC, \xHH, \uHHHH or \u{HHHHH} for the rest), so a colour code, a window title or a clear-screen sequence
 * in a note is seen, not
 * obeyed. Everything else is left as it is; the data itself keeps its bytes.
 */
export function visible(text: string): string {
  if (!UNSAFE_TEST.test(text)) return text
  return text.replace(UNSAFE, (c) => NAMED[c] ?? escapeCode(c.codePointAt(0)!))
}

function escapeCode(code: number): string {
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`
}

/** A character as a JSON escape (astral ones as their two UTF-16 units), which reads back as the same text. */
function jsonEscape(c: string): string {
  let escaped = ''
  for (let i = 0; i < c.length; i++) escaped += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`
  return escaped
}

/**
 * The same for text of several lines that crm wrote itself (an error with the line it points at): its line breaks stay.
 */
export function visibleLines(text: string): string {
  return text.includes('\n') ? text.split('\n').map(visible).join('\n') : visible(text)
}

const UNSAFE_BUT_LINES = new RegExp(
  String.raw`(?<!\p{Extended_Pictographic}\uFE0F?)\u200d|\u200d(?!\p{Extended_Pictographic})|` +
    String.raw`[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[^\P{Cf}\u200d]`,
  'gu',
)

/**
 * Output for scripts (CSV, TSV, JSON) that goes to a terminal rather than a file or a pipe: its line breaks and tabs
 * are the format's own and stay; every other control and format character is shown as in visible(), or in JSON as a
 * \u escape (JSON escapes C0 itself, but not C1 or the format characters), which reads back as the same text: JSON
 * keeps them as data.
 */
export function terminalSafe(text: string, json = false): string {
  return text.replace(UNSAFE_BUT_LINES, (c) => (json ? jsonEscape(c) : (NAMED[c] ?? escapeCode(c.codePointAt(0)!))))
}
