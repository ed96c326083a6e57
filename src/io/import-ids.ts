import {createHash} from 'node:crypto'
import {type ColumnMapping, columnFor} from '../core/column-plan.js'
import {normalizeHeader} from '../core/fields.js'
import {en} from '../core/messages.js'
import {readKey} from '../core/row-validator.js'
import {closestMatch} from '../core/suggest.js'
import {cutList, cutText} from '../core/cut-text.js'
import {ExitCode, UserError} from '../errors.js'

/** How to make customer ids for a file without an id column: a hash of columns, or a prefix and the line number. */
export type IdSource = {readonly from: readonly string[]} | {readonly prefix: string}

/** The customer_id column made for a file: put first, so the cells of a short or long row stay where they were. */
export interface MadeIds {
  readonly header: string[]
  /** The row's cells with its customer id in front. */
  withId(cells: readonly string[], line: number): string[]
}

/**
 * The ids --id-from or --id-prefix make. --id-from: the first 16 hex digits of the sha256 of the named columns' cells
 * (trimmed, full-width forms read as ASCII, joined by U+001F), the same for the same values whatever the line.
 * --id-prefix: the prefix and the line.
 */
export function madeIds(header: readonly string[], mapping: ColumnMapping, ids: IdSource): MadeIds {
  const flag = 'from' in ids ? '--id-from' : '--id-prefix'
  const existing = columnFor(header, mapping, 'customer_id')
  if (existing !== undefined)
    throw new UserError(en('idFlagsWithIdColumn', {flag, column: cutText(existing)}), ExitCode.Usage)
  const made = ['customer_id', ...header]
  if (!('from' in ids)) return {header: made, withId: (cells, line) => [`${ids.prefix}${line}`, ...cells]}
  const at = ids.from.map((name) => {
    const i = header.findIndex((h) => normalizeHeader(h) === normalizeHeader(name))
    if (i >= 0) return i
    const near = closestMatch(name, header)
    throw new UserError(
      en('idFromUnknown', {column: cutText(name)}),
      ExitCode.Usage,
      near ? `did you mean "${cutText(near)}"?` : `the header has: ${cutList(header)}`,
    )
  })
  return {
    header: made,
    withId: (cells, _line) => {
      // Read as a key is (readKey): ３０ and 30 are the same value, so they make the same id.
      const key = at.map((i) => readKey(cells[i] ?? '')).join('\u001f')
      return [createHash('sha256').update(key).digest('hex').slice(0, 16), ...cells]
    },
  }
}
