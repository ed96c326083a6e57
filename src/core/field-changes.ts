import {MONEY_FIELDS} from './fields.js'
import {maskExtras, maskField, maskName, PERSONAL_FIELDS} from './masking.js'
import {formatFen} from './money.js'

// h1: import history and undo — what an upsert's --dry-run says it would change, per field.

/** A stored field's change as the journal gives it: the column, the customer, its value before and after. */
export interface ColumnChange {
  readonly customerId: string
  readonly type: string
  readonly before: unknown
  readonly after: unknown
}

/** One field's changes for people and scripts: how many customers, and examples (masked unless revealed). */
export interface FieldChangeSummary {
  readonly field: string
  readonly count: number
  readonly examples: readonly {readonly customer_id: string; readonly from: string; readonly to: string}[]
}

/** The field a customers column stores: money columns drop their _fen. */
export function fieldOfColumn(column: string): string {
  const field = column.endsWith('_fen') ? column.slice(0, -4) : column
  return MONEY_FIELDS.includes(field) ? field : column
}

/** A stored value as a person reads it: amounts in yuan, kept columns as JSON, personal data masked unless revealed. */
export function shownValue(column: string, value: unknown, type: string, reveal: boolean): string {
  if (value === null || value === undefined) return ''
  const field = fieldOfColumn(column)
  if (field !== column && (typeof value === 'number' || typeof value === 'bigint')) return formatFen(value)
  const text = String(value)
  if (reveal) return text
  if (column === 'name') return type === 'individual' ? maskName(text) : text
  if (column === 'extra') {
    try {
      return JSON.stringify(maskExtras(JSON.parse(text) as Record<string, string>))
    } catch {
      return '***'
    }
  }
  return PERSONAL_FIELDS.includes(column) ? maskField(column, text) : text
}

/** Per field, what an import changed: the journal's columns, counts and examples, ready to print. */
export function summarizeChanges(
  changes: readonly {readonly column: string; readonly count: number; readonly examples: readonly ColumnChange[]}[],
  reveal: boolean,
): FieldChangeSummary[] {
  return changes.map((c) => ({
    field: fieldOfColumn(c.column),
    count: c.count,
    examples: c.examples.map((e) => ({
      customer_id: e.customerId,
      from: shownValue(c.column, e.before, e.type, reveal),
      to: shownValue(c.column, e.after, e.type, reveal),
    })),
  }))
}
