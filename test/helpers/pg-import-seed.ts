import type {PgDatabase} from '../../src/db/postgres/connection.js'

// h1 on PostgreSQL before its import exists: a book as two customer imports leave it, written with plain INSERTs in
// the shape migrations.ts gives the PostgreSQL schema (customers and the journal keyed by customer_id, money in fen,
// old_values jsonb as to_jsonb of each column). Batch 1 is test/e2e/import-undo.test.ts's BOOK, batch 2 its UPDATE.

const STARTED = ['2026-11-29T08:00:00.000Z', '2026-11-29T09:00:00.000Z']

function batch(
  db: PgDatabase,
  id: number,
  counts: {read: number; inserted: number; updated: number; rejected: number},
): void {
  db.run(
    `INSERT INTO import_batches (id, kind, file_name, sha256, mode, actor, started_at, finished_at, status, rows_read,
      inserted, updated, rejected, unchanged, host, pid)
    VALUES ($1, 'customers', $2, $3, 'upsert', 'tester', $4, $4::timestamptz + interval '1 second', 'complete', $5::bigint, $6::bigint,
      $7::bigint, $8::bigint, $5::bigint - $6::bigint - $7::bigint - $8::bigint, 'elsewhere', 1)`,
    [
      id,
      `/data/batch-${id}.csv`,
      String(id).repeat(64),
      STARTED[id - 1],
      counts.read,
      counts.inserted,
      counts.updated,
      counts.rejected,
    ],
  )
  db.run(
    `INSERT INTO audit_log (at, actor, command, action, rows, details) VALUES ($1, 'tester', 'crm customer import',
      'customer.import', 0, $2)`,
    [STARTED[id - 1], JSON.stringify({batch: id})],
  )
}

function complete(db: PgDatabase, id: number, rejectExamples?: readonly unknown[]): void {
  db.run(
    `INSERT INTO audit_log (at, actor, command, action, rows, details) VALUES ($1::timestamptz + interval '1 second',
      'tester', 'crm customer import', 'customer.import.complete', 0, $2)`,
    [STARTED[id - 1], JSON.stringify({batch: id, ...(rejectExamples ? {rejectExamples} : {})})],
  )
}

/** Batch 1: C1 王芳 (an individual with an ID number), C2 李四, C3 某公司 (a company), with one reject recorded. */
export function seedFirstBatch(db: PgDatabase): void {
  batch(db, 1, {read: 4, inserted: 3, updated: 0, rejected: 1})
  db.exec(`INSERT INTO customers (customer_id, id, name, type, id_type, id_number, branch, rm, aum_fen, created_batch_id,
      updated_batch_id)
    VALUES ('C1', 1, '王芳', 'individual', 'resident_id', '11010519491231002X', 'B1', 'RM1', 10000, 1, 1),
      ('C2', 2, '李四', 'individual', NULL, NULL, 'B1', 'RM1', 20000, 1, 1),
      ('C3', 3, '某公司', 'corporate', NULL, NULL, 'B2', 'RM2', 30000, 1, 1)`)
  complete(db, 1, [{line: 5, field: 'id_number', reason: 'check digit should be X, not 9'}])
}

/** Batch 2: C1's branch and aum changed (journalled), C4 赵六 added. */
export function seedSecondBatch(db: PgDatabase): void {
  batch(db, 2, {read: 3, inserted: 1, updated: 1, rejected: 0})
  db.exec(`INSERT INTO customer_changes (customer_id, batch_id, old_values)
      SELECT customer_id, 2, jsonb_build_object('branch', to_jsonb(branch), 'aum_fen', to_jsonb(aum_fen),
        'updated_batch_id', to_jsonb(updated_batch_id)) FROM customers WHERE customer_id = 'C1';
    UPDATE customers SET branch = 'B9', aum_fen = 15000, updated_batch_id = 2 WHERE customer_id = 'C1';
    INSERT INTO customers (customer_id, id, name, type, branch, aum_fen, created_batch_id, updated_batch_id)
      VALUES ('C4', 4, '赵六', 'individual', 'B2', 40000, 2, 2);
    SELECT setval(pg_get_serial_sequence('customers', 'id'), 4);
    SELECT setval(pg_get_serial_sequence('import_batches', 'id'), 2)`)
  complete(db, 2)
}

/** Everything an undo may touch, in a stable order: customers, contacts, the journal and the batches. */
export function pgSnapshot(db: PgDatabase): string {
  const rows = (sql: string) => JSON.stringify(db.rows(sql))
  return [
    rows('SELECT * FROM customers ORDER BY id'),
    rows('SELECT * FROM contacts ORDER BY id'),
    rows('SELECT * FROM customer_changes ORDER BY id'),
    rows('SELECT id, status, undone_at FROM import_batches ORDER BY id'),
  ].join('\n')
}
