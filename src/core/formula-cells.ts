const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * Whether a spreadsheet would run the cell as a formula (=, +, -, @, tab or carriage return first, and not a
 * number), or it already starts with apostrophes before such a text: then it gets one more, so that reading it
 * back (unneutraliseCells) gives exactly the text written.
 */
function needsMark(text: string): boolean {
  const rest = text.charCodeAt(0) === 0x27 ? text.replace(/^'+/, '') : text
  return FORMULA_START.test(rest) && !NUMBER.test(rest)
}

/**
 * A text cell a spreadsheet would run as a formula gets a leading apostrophe, which Excel and WPS show as text; a
 * number, negative or not, stays a number.
 */
export function neutralise(text: string): string {
  return needsMark(text) ? `'${text}` : text
}

/**
 * A row's cells as they were before crm neutralised them in an export or a reject file: the apostrophe neutralise
 * added is removed ('=1+2 becomes =1+2; '-12 and 'abc stay). Returns the same array when no cell starts with an
 * apostrophe, as almost none do.
 */
export function unneutraliseCells(cells: readonly string[]): readonly string[] {
  for (let i = 0; i < cells.length; i++) {
    if (cells[i].charCodeAt(0) === 0x27)
      return cells.map((cell) => (cell.charCodeAt(0) === 0x27 && needsMark(cell.slice(1)) ? cell.slice(1) : cell))
  }
  return cells
}
