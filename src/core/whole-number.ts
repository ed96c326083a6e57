/** The whole numbers typed on the command line: ids, limits, days. */

export interface WholeRange {
  readonly min: number
  readonly max: number
}

/** Ids are SQLite rowids: positive, and no larger than JavaScript holds exactly. */
export const ID_RANGE: WholeRange = {min: 1, max: Number.MAX_SAFE_INTEGER}

/**
 * A whole number written in digits (an optional sign, no decimals, no exponent) within a range, or what is wrong
 * with it. Anything else ("abc", "1.5", "1 OR 1=1", 20 digits) is refused rather than rounded or cut.
 */
export function readWholeNumber(text: string, {min, max}: WholeRange): number | {error: string} {
  // Full-width digits (１２) read as ASCII ones, as import reads them.
  const ascii = /[^\u0000-\u007f]/.test(text) ? text.normalize('NFKC') : text
  const value = /^\s*[+-]?\d+\s*$/.test(ascii) ? Number(ascii) + 0 : Number.NaN
  if (value >= min && value <= max) return value
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text
  return {
    error:
      `must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, not ` +
      `"${shown}"`,
  }
}

/**
 * A whole number with commas between thousands, as toLocaleString('en-US') writes it: 1234567 -> "1,234,567". The
 * first toLocaleString in a process loads ICU's number formats, a tenth of a short command's start-up.
 */
export function withThousands(n: number | bigint): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}
