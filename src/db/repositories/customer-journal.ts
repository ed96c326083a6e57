import type {Database, Statement} from 'better-sqlite3'
import {type CrmDatabase, isPostgres} from '../connection.js'
import {postgresJournalReader} from '../postgres/customer-journal.js'

// h1: import history and undo — the undo journal (customer_changes) as imports write it.

/** Columns an import never changes, so the journal never holds them. */
export const NOT_JOURNALLED = new Set(['id', 'customer_id', 'created_batch_id', 'deleted_at', 'erased_at'])

/** The customers columns an import may change, as the table has them (a later migration's columns too). */
export function journalledColumns(db: Database): string[] {
  return (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('customers') as string[]).filter(
    (c) => !NOT_JOURNALLED.has(c),
  )
}

/**
 * The old values of the columns an update changed, as `SELECT k, v` rows (updated_batch_id always): what a journal
 * row holds. Column names come from the table itself, never from the user.
 */
function changedPairs(columns: readonly string[]): string {
  return columns
    .map((c) =>
      c === 'updated_batch_id'
        ? `SELECT 'updated_batch_id' AS k, OLD.updated_batch_id AS v`
        : `SELECT '${c}' AS k, OLD.${c} AS v WHERE OLD.${c} IS NOT NEW.${c}`,
    )
    .join(' UNION ALL ')
}

/**
 * Makes this connection journal what imports change: TEMP triggers (this connection's alone, so no other command's
 * update is journalled) write one customer_changes row per customer a batch updates, holding the values its fields
 * had before the batch. They fire only on an update that changed something (the upsert's WHERE), so an unchanged
 * re-import writes no journal row and does no extra work; customers the batch inserted get none (an undo removes them).
 * A customer the same batch updates twice (a repeated id) keeps one row: the first old value of each field wins.
 */
export function journalImportUpdates(db: Database): void {
  const pairs = changedPairs(journalledColumns(db))
  const first = 'OLD.updated_batch_id IS NOT NEW.updated_batch_id AND OLD.created_batch_id IS NOT NEW.updated_batch_id'
  const again = 'OLD.updated_batch_id IS NEW.updated_batch_id AND OLD.created_batch_id IS NOT NEW.updated_batch_id'
  db.exec(`
    DROP TRIGGER IF EXISTS temp.crm_import_journal;
    DROP TRIGGER IF EXISTS temp.crm_import_journal_again;
    CREATE TEMP TRIGGER crm_import_journal AFTER UPDATE ON main.customers WHEN ${first}
    BEGIN
      INSERT INTO customer_changes (customer_ref, batch_id, old_values)
        SELECT OLD.id, NEW.updated_batch_id, json_group_object(k, v) FROM (${pairs});
    END;
    CREATE TEMP TRIGGER crm_import_journal_again AFTER UPDATE ON main.customers WHEN ${again}
    BEGIN
      UPDATE customer_changes SET old_values = (SELECT json_group_object(k, v) FROM (
          SELECT key AS k, value AS v FROM json_each(customer_changes.old_values)
          UNION ALL SELECT k, v FROM (${pairs})
            WHERE k NOT IN (SELECT key FROM json_each(customer_changes.old_values))))
        WHERE customer_ref = OLD.id AND batch_id = NEW.updated_batch_id;
    END;
  `)
}

/**
 * f1: settles a customer a batch wrote twice (an id repeated in the file): the journal forgets the fields the later
 * row put back as they were, and when none is left the customer is as before the batch, so its row goes and its
 * updated_batch_id is put back. Returns whether the customer is now unchanged by the batch. Only repeats call it.
 */
export function journalSettler(db: Database): (batch: number, customerId: string) => boolean {
  const current = (key: string) =>
    `CASE ${key} ${journalledColumns(db)
      .map((c) => `WHEN '${c}' THEN c.${c}`)
      .join(' ')} END`
  const forget = db.prepare<Record<string, unknown>>(`UPDATE customer_changes AS j SET old_values = (
      SELECT json_group_object(e.key, e.value) FROM json_each(j.old_values) e
      WHERE e.key = 'updated_batch_id' OR ${current('e.key')} IS NOT e.value)
    FROM customers c WHERE c.id = j.customer_ref AND c.customer_id = @customerId AND j.batch_id = @batch`)
  const settled = db.prepare<Record<string, unknown>, {id: number; ref: number; old: number | null}>(`SELECT j.id,
      j.customer_ref AS ref, json_extract(j.old_values, '$.updated_batch_id') AS old
    FROM customer_changes j JOIN customers c ON c.id = j.customer_ref
    WHERE c.customer_id = @customerId AND j.batch_id = @batch
      AND NOT EXISTS (SELECT 1 FROM json_each(j.old_values) WHERE key <> 'updated_batch_id')`)
  const putBack = db.prepare('UPDATE customers SET updated_batch_id = @old WHERE id = @ref')
  const drop = db.prepare('DELETE FROM customer_changes WHERE id = @id')
  return (batch, customerId) => {
    forget.run({batch, customerId})
    const row = settled.get({batch, customerId})
    if (row === undefined) return false
    putBack.run(row)
    drop.run(row)
    return true
  }
}

/** A change an import made to a stored field, as its journal and the customer's row give it. */
export interface FieldChange {
  readonly customerId: string
  readonly type: string
  readonly before: unknown
  readonly after: unknown
}

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres). */
export function journalReader(db: CrmDatabase): JournalReader {
  if (isPostgres(db)) return postgresJournalReader(db)
  return sqliteJournalReader(db)
}
export type JournalReader = ReturnType<typeof sqliteJournalReader>

/** What a batch's journal says it changed: per column, how many customers and a few examples (before → after). */
function sqliteJournalReader(db: Database) {
  const columns = new Set(journalledColumns(db))
  const perColumn = db.prepare<[number], {column: string; n: number}>(`SELECT j.key AS column, count(*) AS n
    FROM customer_changes cc, json_each(cc.old_values) j WHERE cc.batch_id = ? AND j.key <> 'updated_batch_id'
    GROUP BY j.key ORDER BY n DESC, j.key`)
  const identity = db.prepare<[number], {name: number | null; id_number: number | null}>(`SELECT
    sum(json_type(old_values, '$.name') IS NOT NULL) AS name,
    sum(json_type(old_values, '$.id_number') IS NOT NULL) AS id_number
    FROM customer_changes WHERE batch_id = ?`)
  const examples = new Map<string, Statement<[string, number, number], FieldChange>>()
  const examplesOf = (column: string) => {
    let stmt = examples.get(column)
    // The column comes from the journal's keys, checked against the table's own columns: never the user's text.
    if (stmt === undefined)
      examples.set(
        column,
        (stmt = db.prepare<
          [string, number, number],
          FieldChange
        >(`SELECT c.customer_id AS customerId, c.type, j.value AS before, c.${column} AS after
          FROM customer_changes cc JOIN json_each(cc.old_values) j ON j.key = ?
          JOIN customers c ON c.id = cc.customer_ref WHERE cc.batch_id = ? ORDER BY cc.id LIMIT ?`)),
      )
    return stmt
  }
  return {
    /** The columns the batch changed, most changed first, with `limit` examples each. */
    changes(batch: number, limit: number): {column: string; count: number; examples: FieldChange[]}[] {
      return perColumn
        .all(batch)
        .filter((r) => columns.has(r.column))
        .map((r) => ({
          column: r.column,
          count: r.n,
          examples: examplesOf(r.column).all(r.column, batch, limit),
        }))
    },
    /** How many customers the batch has renamed, and given another ID number, so far. */
    identityChanges(batch: number): {name: number; id_number: number} {
      const row = identity.get(batch)
      return {name: row?.name ?? 0, id_number: row?.id_number ?? 0}
    },
  }
}
