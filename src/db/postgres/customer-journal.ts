import type {FieldChange, JournalReader} from '../repositories/customer-journal.js'
import type {PgDatabase} from './connection.js'

/**
 * customer-journal.ts's journalReader on PostgreSQL: a batch's customer_changes rows, whose old_values is a jsonb
 * object {column: old value}. Values are given as the SQLite path gives them: amounts as numbers, kept columns
 * (extra) as minified JSON text.
 */
export function postgresJournalReader(db: PgDatabase): JournalReader {
  // The table's own columns: the only names ever put into SQL here.
  const columns = new Set(
    db
      .all<{name: string}>(
        `SELECT column_name AS name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = 'customers'`,
      )
      .map((r) => r.name),
  )
  const json = (text: unknown) => (typeof text === 'string' ? (JSON.parse(text) as unknown) : text)
  const shown = (column: string, value: unknown) =>
    column === 'extra' && value !== null && typeof value === 'object' ? JSON.stringify(value) : value
  return {
    changes(batch: number, limit: number): {column: string; count: number; examples: FieldChange[]}[] {
      const perColumn = db.all<{column: string; n: number}>(
        `SELECT j.key AS column, count(*) AS n FROM customer_changes cc, jsonb_each(cc.old_values) j
          WHERE cc.batch_id = $1 AND j.key <> 'updated_batch_id' GROUP BY j.key ORDER BY n DESC, j.key COLLATE "C"`,
        [batch],
      )
      return perColumn
        .filter((r) => columns.has(r.column))
        .map((r) => ({
          column: r.column,
          count: Number(r.n),
          examples: db
            .all<{customerId: string; type: string; before: string; after: unknown}>(
              `SELECT c.customer_id AS "customerId", c.type, cc.old_values -> $1 AS before, c.${r.column} AS after
                FROM customer_changes cc JOIN customers c ON c.customer_id = cc.customer_id
                WHERE cc.batch_id = $2 AND cc.old_values ? $1 ORDER BY cc.id LIMIT $3`,
              [r.column, batch, limit],
            )
            .map((e) => ({
              customerId: e.customerId,
              type: e.type,
              before: shown(r.column, json(e.before)),
              after: shown(r.column, r.column === 'extra' ? json(e.after) : e.after),
            })),
        }))
    },
    identityChanges(batch: number): {name: number; id_number: number} {
      const row = db.get<{name: number; id_number: number}>(
        `SELECT count(*) FILTER (WHERE old_values ? 'name') AS name,
          count(*) FILTER (WHERE old_values ? 'id_number') AS id_number FROM customer_changes WHERE batch_id = $1`,
        [batch],
      )
      return {name: Number(row?.name ?? 0), id_number: Number(row?.id_number ?? 0)}
    },
  }
}
