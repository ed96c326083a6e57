import type {Database} from 'better-sqlite3'
import type {WrittenRecords} from '../core/customer.js'

/**
 * Records joined per row read: the first page small, so that output starts at once; each next one twice as large, up
 * to enough that what each page's statement costs besides its rows is spread thin (docs/performance.md), and few
 * enough to hold.
 */
const FIRST_PAGE = 256
const LARGEST_PAGE = 1024

/**
 * A statement that reads a page of written records: `select` gives each row's `record` (and the columns `last` reads)
 * in the output's order, without a LIMIT; its one row is the page's records joined by @between as UTF-8 bytes, how
 * many there are, then `last`: the key of the page's last record, which the next page starts after. The subquery's
 * LIMIT keeps it from being flattened into the aggregate: its rows reach group_concat in its order. It is +@page, an
 * expression: SQLite's planner reads the value bound to a bare LIMIT parameter, so a new binding compiled the whole
 * statement again at each page (for a CSV line, longer than reading the page).
 */
export function writtenPageSql(select: string, last: string): string {
  return `SELECT CAST(group_concat(record, @between) AS BLOB), count(*), ${last} FROM (${select} LIMIT +@page)`
}

/**
 * writtenPageSql for records written over the page's rows, not in its subquery: `rows` selects the rows (without a
 * LIMIT) as `alias`, with what `record` reads of them and what it tests more than once (taken once a row this way),
 * and `joins` adds the rest. `last` is read over the same.
 */
export function writtenPageOverSql(record: string, rows: string, alias: string, joins: string, last: string): string {
  return `SELECT CAST(group_concat(${record}, @between) AS BLOB), count(*), ${last} FROM (${rows} LIMIT +@page)
    AS ${alias}
    ${joins}`
}

/**
 * Written records a page at a time (writtenPageSql), up to `limit` of them (all when negative), read in one
 * transaction so that the pages are of the same data. `read` runs the page's statement for `page` records after the
 * key `after` (none for the first page) and gives its row: bytes, count, then the last record's key.
 */
export function* writtenPages(
  db: Database,
  limit: number,
  read: (page: number, after: readonly unknown[] | undefined) => unknown[],
): Generator<WrittenRecords> {
  const own = !db.inTransaction
  if (own) db.prepare('BEGIN').run()
  try {
    let left = limit < 0 ? Infinity : limit
    let after: readonly unknown[] | undefined
    let size = FIRST_PAGE
    while (left > 0) {
      const page = Math.min(left, size)
      const [bytes, rows, ...last] = read(page, after) as [Buffer | null, number, ...unknown[]]
      if (rows === 0) return
      yield {bytes: bytes!, rows}
      if (rows < page) return
      left -= rows
      after = last
      size = Math.min(size * 2, LARGEST_PAGE)
    }
  } finally {
    if (own && db.inTransaction) db.prepare('COMMIT').run()
  }
}
