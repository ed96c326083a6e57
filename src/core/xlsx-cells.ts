/**
 * How a record's value becomes a cell of an Excel workbook (--format xlsx). Pure: the writer (io/xlsx-writer.ts) only
 * puts these cells in rows.
 *
 * - Text stays text, whatever it looks like: an 18-digit ID number, a phone with its leading zero, customer "007",
 *   "=1+2". A workbook marks a text cell as text, so Excel keeps every digit and never runs it as a formula (CSV
 *   cannot say so, and needs the leading apostrophe of formula-cells.ts; a workbook needs none).
 * - Amounts (the view's money keys, written as yuan with two decimals) are numbers, shown with two decimals. A double
 *   holds the fen exactly, and Excel shows them, while the amount has at most 15 significant digits: below
 *   10,000,000,000,000 yuan (10^13). A larger amount is written as its exact text instead.
 * - Integers are numbers while Excel's 15 digits hold them; a longer one is its text.
 * - Dates and times stay ISO text, as every other export writes them: a masked birth date (1985-**-**) is no date, a
 *   time keeps its UTC offset (Excel's dates have none), and the text sorts and imports back as it is.
 */

/** Rows in one worksheet, its header included (Excel's limit); more rows go on to another sheet. */
export const SHEET_ROWS = 1_048_576
/** Characters Excel keeps in a cell; a longer text is cut there (and said so). */
export const CELL_CHARACTERS = 32_767
/** Amounts below this many yuan keep their fen in Excel (15 significant digits). */
export const EXACT_YUAN = 10_000_000_000_000
/** The largest integer Excel shows in full (15 digits). */
const EXACT_INTEGER = 999_999_999_999_999

export type XlsxCell = string | number | null

/** What a workbook could not hold as it was: counted, so the export can say so. */
export interface CellChanges {
  /** Texts longer than CELL_CHARACTERS, cut. */
  cut: number
  /** Texts holding control characters XML cannot carry, written as \xHH escapes. */
  escaped: number
}

const YUAN = /^-?\d+\.\d{2}$/
// XML 1.0 carries tab, line feed and carriage return of the C0 controls; the writer drops DEL too.
const NOT_IN_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g
const NOT_IN_XML_TEST = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/

/** A record's value as a cell: text, a number, or empty (null). `money` says the value is an amount in yuan. */
export function xlsxCell(value: unknown, money: boolean, changes: CellChanges): XlsxCell {
  if (value === null || value === undefined) return null
  if (typeof value === 'number')
    return Number.isFinite(value) && Math.abs(value) <= EXACT_INTEGER ? value : String(value)
  if (typeof value === 'bigint')
    return -EXACT_INTEGER <= value && value <= EXACT_INTEGER ? Number(value) : String(value)
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  if (money && YUAN.test(text)) {
    const yuan = Number(text)
    if (Math.abs(yuan) < EXACT_YUAN) return yuan
  }
  return xlsxText(text, changes)
}

/** Text as a workbook can hold it: control characters XML cannot carry as escapes, cut to Excel's cell size. */
export function xlsxText(text: string, changes: CellChanges): string {
  let kept = text
  if (NOT_IN_XML_TEST.test(kept)) {
    changes.escaped++
    kept = kept.replace(NOT_IN_XML, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  }
  if (kept.length > CELL_CHARACTERS) {
    changes.cut++
    // Not through the middle of a character of two UTF-16 units.
    const end = /[\ud800-\udbff]/.test(kept[CELL_CHARACTERS - 2] ?? '') ? CELL_CHARACTERS - 2 : CELL_CHARACTERS - 1
    kept = `${kept.slice(0, end)}…`
  }
  return kept
}

/** A worksheet's name: Excel's at most 31 characters, none of : \ / ? * [ ], and a number after the first sheet. */
export function sheetName(name: string, index: number): string {
  const base = name.replace(/[:\\/?*[\]]/g, '_').slice(0, 25) || 'Sheet'
  return index === 1 ? base : `${base} (${index})`
}
