import type {Database} from 'better-sqlite3'
import {customerOrderKey} from './customer-order.js'
import {en} from '../core/messages.js'
import {ExitCode, UserError} from '../errors.js'

export interface Migration {
  readonly version: number
  readonly name: string
  up(db: Database): void
}

/** Shipped migrations are never edited: a change to the schema is a new entry at the end. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'customers, import batches and the audit log',
    up(db) {
      db.exec(`
        CREATE TABLE import_batches (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL,
          file_name TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          mode TEXT NOT NULL,
          actor TEXT NOT NULL,
          started_at TEXT NOT NULL,
          finished_at TEXT,
          status TEXT NOT NULL CHECK (status IN ('running', 'complete')),
          rows_read INTEGER NOT NULL DEFAULT 0,
          inserted INTEGER NOT NULL DEFAULT 0,
          updated INTEGER NOT NULL DEFAULT 0,
          unchanged INTEGER NOT NULL DEFAULT 0,
          rejected INTEGER NOT NULL DEFAULT 0,
          duplicates INTEGER NOT NULL DEFAULT 0,
          aum_read_fen INTEGER,
          aum_stored_fen INTEGER
        ) STRICT;

        CREATE TABLE customers (
          id INTEGER PRIMARY KEY,
          customer_id TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          type TEXT NOT NULL CHECK (type IN ('individual', 'corporate')),
          id_type TEXT CHECK (id_type IN ('resident_id', 'uscc', 'passport', 'other')),
          id_number TEXT,
          phone TEXT,
          email TEXT,
          branch TEXT,
          rm TEXT,
          opened_on TEXT,
          birth_date TEXT,
          aum_fen INTEGER,
          deposits_fen INTEGER,
          loans_fen INTEGER,
          overdue_days INTEGER CHECK (overdue_days >= 0),
          products INTEGER CHECK (products >= 0),
          contribution_fen INTEGER,
          last_txn_on TEXT,
          txn_count_12m INTEGER CHECK (txn_count_12m >= 0),
          industry TEXT,
          employees INTEGER CHECK (employees >= 0),
          revenue_fen INTEGER,
          total_assets_fen INTEGER,
          credit_rating TEXT,
          status TEXT CHECK (status IN ('active', 'dormant', 'closed')),
          extra TEXT NOT NULL DEFAULT '{}',
          -- The import batches that created and last changed the customer (their times are in import_batches):
          -- two small integers instead of two timestamps a row keep a million-customer book 45 MB smaller.
          created_batch_id INTEGER NOT NULL,
          updated_batch_id INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          actor TEXT NOT NULL,
          command TEXT NOT NULL,
          action TEXT NOT NULL,
          rows INTEGER NOT NULL DEFAULT 0,
          details TEXT NOT NULL DEFAULT '{}'
        ) STRICT;
      `)
    },
  },
  {
    version: 2,
    name: 'contacts and their follow-ups',
    up(db) {
      db.exec(`
        CREATE TABLE contacts (
          id INTEGER PRIMARY KEY,
          customer_id TEXT NOT NULL REFERENCES customers (customer_id),
          at TEXT NOT NULL,
          channel TEXT NOT NULL CHECK (channel IN ('branch', 'phone', 'wechat', 'sms', 'email', 'video',
            'visit', 'online', 'event')),
          direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
          purpose TEXT NOT NULL CHECK (purpose IN ('service', 'marketing', 'review', 'complaint', 'collection',
            'onboarding', 'other')),
          outcome TEXT,
          rm TEXT,
          notes TEXT,
          follow_up_on TEXT,
          follow_up_closed_at TEXT,
          follow_up_closed_by INTEGER REFERENCES contacts (id),
          -- A short hash of the notes ('' for none): with the columns before it, what makes two rows the same contact.
          notes_key TEXT NOT NULL,
          import_batch_id INTEGER,
          logged_at TEXT NOT NULL,
          -- The same-contact check leads with the time: contact logs arrive in time order, so it grows at its end.
          UNIQUE (at, customer_id, channel, direction, purpose, notes_key)
        ) STRICT;
        CREATE INDEX contacts_customer_at ON contacts (customer_id, at);
        CREATE INDEX contacts_open_follow_ups ON contacts (follow_up_on) WHERE follow_up_on IS NOT NULL
          AND follow_up_closed_at IS NULL;
      `)
    },
  },
  {
    version: 3,
    name: 'classification runs and their results',
    up(db) {
      db.exec(`
        CREATE TABLE classification_runs (
          id INTEGER PRIMARY KEY,
          scheme TEXT NOT NULL,
          scheme_version TEXT NOT NULL,
          scheme_hash TEXT NOT NULL,
          -- The scheme file as it was, so a run can be read (labels, cadences, rules) after the file has changed.
          scheme_text TEXT NOT NULL,
          -- The tiers in order: [{id, zh, en, cadence_days}].
          tiers TEXT NOT NULL,
          filter TEXT NOT NULL DEFAULT '{}',
          as_of TEXT NOT NULL,
          created_at TEXT NOT NULL,
          actor TEXT NOT NULL,
          customers INTEGER NOT NULL,
          skipped INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX classification_runs_scheme ON classification_runs (scheme, id);

        -- customer_ref is customers.id. Customers are never deleted, so it has no foreign key: a million checks
        -- per run would cost more than they guard.
        CREATE TABLE classification_results (
          run_id INTEGER NOT NULL REFERENCES classification_runs (id) ON DELETE CASCADE,
          customer_ref INTEGER NOT NULL,
          tier TEXT NOT NULL,
          reason TEXT NOT NULL,
          PRIMARY KEY (run_id, customer_ref)
        ) STRICT, WITHOUT ROWID;
      `)
    },
  },
  {
    version: 4,
    name: 'open follow-ups indexed by customer',
    up(db) {
      // Logging or importing a contact closes its customer's open follow-ups: finding them by customer through this
      // small partial index, rather than through every contact of the customer, makes a contact import about 8% faster.
      db.exec(`
        DROP INDEX contacts_open_follow_ups;
        CREATE INDEX contacts_open_follow_ups ON contacts (customer_id, follow_up_on) WHERE follow_up_on IS NOT NULL
          AND follow_up_closed_at IS NULL;
      `)
    },
  },
  {
    version: 5,
    name: 'import batches record their process, and an import cut short is interrupted',
    up(db) {
      // SQLite cannot change a CHECK constraint in place, so the table is rebuilt (nothing refers to it by foreign
      // key). A batch still 'running' here was left by an older crm that recorded no process: it is taken as
      // interrupted.
      db.exec(`
        CREATE TABLE import_batches_v5 (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL,
          file_name TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          mode TEXT NOT NULL,
          actor TEXT NOT NULL,
          started_at TEXT NOT NULL,
          finished_at TEXT,
          status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted')),
          rows_read INTEGER NOT NULL DEFAULT 0,
          inserted INTEGER NOT NULL DEFAULT 0,
          updated INTEGER NOT NULL DEFAULT 0,
          unchanged INTEGER NOT NULL DEFAULT 0,
          rejected INTEGER NOT NULL DEFAULT 0,
          duplicates INTEGER NOT NULL DEFAULT 0,
          aum_read_fen INTEGER,
          aum_stored_fen INTEGER,
          -- The importing process: a running batch whose process is gone from this host was interrupted.
          host TEXT,
          pid INTEGER,
          -- The file's size when the import began (NULL for standard input): with its name, which file a later
          -- import completes.
          file_size INTEGER,
          -- The interrupted batch of the same file that this import completed.
          completes_batch INTEGER
        ) STRICT;
        INSERT INTO import_batches_v5 (id, kind, file_name, sha256, mode, actor, started_at, finished_at, status,
          rows_read, inserted, updated,
            unchanged, rejected, duplicates, aum_read_fen, aum_stored_fen)
          SELECT id, kind, file_name, sha256, mode, actor, started_at, finished_at, CASE status
            WHEN 'running' THEN 'interrupted' ELSE status END,
            rows_read, inserted, updated, unchanged, rejected, duplicates, aum_read_fen, aum_stored_fen
          FROM import_batches;
        DROP TABLE import_batches;
        ALTER TABLE import_batches_v5 RENAME TO import_batches;
      `)
    },
  },
  {
    version: 6,
    name: 'contacts record their UTC offset, and the audit log the OS user beside --actor',
    up(db) {
      // A contact's time stays the bank's wall-clock time (it is part of the same-contact key); its offset from UTC,
      // as '+08:00', says which instant that was. Older contacts have none: they are in the machine's zone.
      // The OS user is recorded whatever --actor says, so --actor cannot hide who ran a command (NULL before v6).
      db.exec(`
        ALTER TABLE contacts ADD COLUMN utc_offset TEXT;
        ALTER TABLE audit_log ADD COLUMN os_user TEXT;
      `)
    },
  },
  {
    version: 7,
    name: 'day two: undo journal, deleted and erased customers, undone imports',
    up(db) {
      // A deleted customer or contact keeps its row as a tombstone (deleted_at set): its id is never reused and old
      // runs keep their counts, while every list and count leaves it out. An erased customer (the personal-information
      // law's right to deletion) has its personal fields blanked and erased_at set.
      // customer_changes is the undo journal: per import batch (batch_id) or edit (audit_id), the values a customer's
      // fields had before it changed them, as JSON {field: old value}. An import undo puts them back; an erase blanks
      // the personal ones.
      db.exec(`
        ALTER TABLE import_batches ADD COLUMN undone_at TEXT;
        ALTER TABLE customers ADD COLUMN deleted_at TEXT;
        ALTER TABLE customers ADD COLUMN erased_at TEXT;
        ALTER TABLE contacts ADD COLUMN deleted_at TEXT;
        CREATE TABLE customer_changes (
          id INTEGER PRIMARY KEY,
          customer_ref INTEGER NOT NULL,
          batch_id INTEGER,
          audit_id INTEGER,
          old_values TEXT NOT NULL
        ) STRICT;
        CREATE INDEX customer_changes_batch ON customer_changes (batch_id) WHERE batch_id IS NOT NULL;
        CREATE INDEX customer_changes_customer ON customer_changes (customer_ref);
      `)
    },
  },
  {
    version: 8,
    name: 'customers listed with numeric customer numbers in numeric order',
    up(db) {
      // Tables list customer numbers of digits by value (1, 2, 10), then the others as text: the key of
      // customer-order.ts, indexed so that a list of a whole book reads it in order, a page at a time.
      db.exec(`CREATE INDEX customers_id_order ON customers (${customerOrderKey('customer_id')})`)
    },
  },
]

/** Brings the schema up to date in one transaction; refuses a file written by a newer crm. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.at(-1)?.version ?? 0
  const pendingAt = (current: number) => {
    if (current > latest) {
      throw new UserError(
        `the database schema is v${current}, newer than this crm knows (v${latest})`,
        ExitCode.BadInput,
        en('upgradeCrm'),
      )
    }
    return migrations.filter((m) => m.version > current)
  }
  const version = () => db.pragma('user_version', {simple: true}) as number
  if (pendingAt(version()).length === 0) return 0
  // Two crm commands started together on a new file both see it unmigrated; the version is read again once this
  // one holds the write lock, so the second finds the first one's schema rather than creating its tables again.
  return db
    .transaction(() => {
      const pending = pendingAt(version())
      for (const m of pending) {
        m.up(db)
        db.pragma(`user_version = ${Number(m.version)}`)
      }
      return pending.length
    })
    .immediate()
}
