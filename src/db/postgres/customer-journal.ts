import {type FieldChange, NOT_JOURNALLED} from '../repositories/customer-journal.js'
import type {JournalReader, JournalSettler} from '../repositories/customer-journal.js'
import type {PgDatabase} from './connection.js'

// h1 on PostgreSQL: the undo journal's read side. customer_changes.old_values is jsonb {column: old value}, each value
// as to_jsonb of the column gives it (money a number, a day 'YYYY-MM-DD', extra an object); extra written as JSON text
// (a string, as a SQLite journal and an edit's oldValues hold it) is read too.

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

/** A timestamptz as the SQLite path stores an instant: ISO 8601 in UTC with milliseconds ('…T05:00:00.000Z'). */
export function isoInstant(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
}

/** Per column, whether the customer's value now differs from the journal's (e.key, e.value); other keys count as differing. */
function differs(columns: readonly JournalledColumn[]): string {
  return `CASE e.key ${columns
    .map((c) => `WHEN '${c.name}' THEN c.${c.name} IS DISTINCT FROM ${oldValue('e.value', c)}`)
    .join(' ')} ELSE true END`
}

/** journalReader on PostgreSQL: the same answers, the same values (money as numbers, extra as compact JSON text). */
export function postgresJournalReader(db: PgDatabase): JournalReader {
  const columns = new Map(journalledColumnsPostgres(db).map((c) => [c.name, c]))
  return {
    changes(batch, limit) {
      const counts = db.all<{column: string; n: number}>(
        `SELECT e.key AS column, count(*) AS n FROM customer_changes cc, jsonb_each(cc.old_values) e
        WHERE cc.batch_id = $1 AND e.key <> 'updated_batch_id' GROUP BY e.key ORDER BY n DESC, e.key COLLATE "C"`,
        [batch],
      )
      return counts.flatMap((r) => {
        const column = columns.get(r.column)
        if (column === undefined) return []
        // The column is one of the table's own (checked above): never the user's text.
        // A day as the SQLite book stores it ('YYYY-MM-DD'), whatever the server's DateStyle.
        const stored = (x: string) => (column.type === 'date' ? `to_char(${x}, 'YYYY-MM-DD')` : x)
        const examples = db.all<FieldChange>(
          `SELECT c.customer_id AS "customerId", c.type,
            ${stored(oldValue(`cc.old_values -> '${column.name}'`, column))} AS before, ${stored(`c.${column.name}`)} AS after
          FROM customer_changes cc JOIN customers c ON c.customer_id = cc.customer_id
          WHERE cc.batch_id = $1 AND cc.old_values ? $2 ORDER BY cc.id LIMIT $3`,
          [batch, column.name, limit],
        )
        const shown =
          column.type === 'jsonb'
            ? examples.map((e) => ({...e, before: compactJson(e.before), after: compactJson(e.after)}))
            : examples
        return [{column: r.column, count: Number(r.n), examples: shown}]
      })
    },
    identityChanges(batch) {
      const row = db.get<{name: number; id_number: number}>(
        `SELECT count(*) FILTER (WHERE old_values ? 'name') AS name,
          count(*) FILTER (WHERE old_values ? 'id_number') AS id_number
        FROM customer_changes WHERE batch_id = $1`,
        [batch],
      )
      return {name: Number(row?.name ?? 0), id_number: Number(row?.id_number ?? 0)}
    },
  }
}

/** jsonb's text ('{"a": 1}') as JSON.stringify writes it ('{"a":1}'), the form a SQLite book keeps. */
function compactJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.stringify(JSON.parse(value)) : value
}

/** journalSettler on PostgreSQL: see there. */
export function postgresJournalSettler(db: PgDatabase): JournalSettler {
  const columns = journalledColumnsPostgres(db)
  return (batch, customerId) => {
    db.run(
      `UPDATE customer_changes j SET old_values = (SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}')
        FROM jsonb_each(j.old_values) e WHERE e.key = 'updated_batch_id' OR ${differs(columns)})
      FROM customers c WHERE c.customer_id = j.customer_id AND j.customer_id = $2 AND j.batch_id = $1`,
      [batch, customerId],
    )
    const row = db.get<{id: number; old: number | null}>(
      `SELECT j.id, (j.old_values ->> 'updated_batch_id')::bigint AS old FROM customer_changes j
      WHERE j.customer_id = $2 AND j.batch_id = $1
        AND NOT EXISTS (SELECT 1 FROM jsonb_object_keys(j.old_values) k WHERE k <> 'updated_batch_id')`,
      [batch, customerId],
    )
    if (row === undefined) return false
    db.run('UPDATE customers SET updated_batch_id = $2 WHERE customer_id = $1', [customerId, row.old])
    db.run('DELETE FROM customer_changes WHERE customer_id = $1 AND id = $2', [customerId, row.id])
    return true
  }
}
