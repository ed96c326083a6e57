import {NOT_JOURNALLED} from '../repositories/customer-journal.js'
import type {PgDatabase} from './connection.js'

// h1 on PostgreSQL: the undo journal as an undo reads it back. customer_changes.old_values is jsonb {column: old
// value}, each value as to_jsonb of the column gives it (money a number, a day 'YYYY-MM-DD', extra an object, as the
// PostgreSQL import writes them); extra written as JSON text (a string, as an edit's oldValues may hold it) and money
// as a string of digits (past 2^53) are read too.

/** A customers column the journal may hold, with its PostgreSQL type. */
export interface JournalledColumn {
  readonly name: string
  readonly type: string
}

/** The PostgreSQL types of customers columns, as the casts that read a journal value back name them. */
const CASTS: Record<string, string> = {
  text: 'text',
  bigint: 'bigint',
  integer: 'bigint',
  date: 'date',
  'timestamp with time zone': 'timestamptz',
  jsonb: 'jsonb',
}

/** The customers columns an import may change, as the table has them in this schema (a later migration's too). */
export function journalledColumnsPostgres(db: PgDatabase): JournalledColumn[] {
  return db
    .all<{name: string; type: string}>(
      `SELECT column_name AS name, data_type AS type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'customers' ORDER BY ordinal_position`,
    )
    .filter((c) => !NOT_JOURNALLED.has(c.name))
    .map((c) => {
      const type = CASTS[c.type]
      if (type === undefined) throw new Error(`customers.${c.name} has a type the undo journal cannot read: ${c.type}`)
      return {name: c.name, type}
    })
}

/** A journal value (a jsonb expression) as the column's own type. Column and type come from the table, never a user. */
export function oldValue(json: string, column: JournalledColumn): string {
  if (column.type === 'jsonb')
    return `CASE jsonb_typeof(${json}) WHEN 'string' THEN (${json} #>> '{}')::jsonb ELSE ${json} END`
  return `(${json} #>> '{}')::${column.type}`
}
