import type {FilterField} from '../../core/filter-match.js'
import type {sqliteFilterValueRepository} from '../repositories/filter-values.js'
import type {PgDatabase} from './connection.js'

/** The values a filter flag can select, on a PostgreSQL book (as repositories/filter-values.ts on SQLite). */
export function postgresFilterValueRepository(db: PgDatabase): ReturnType<typeof sqliteFilterValueRepository> {
  // Field names come from FilterField, never from the user's text; values are bound.
  const sources = (field: FilterField, contacts: boolean) => [
    `SELECT ${field} AS v FROM customers WHERE deleted_at IS NULL`,
    ...(contacts && field === 'rm' ? ['SELECT rm AS v FROM contacts WHERE deleted_at IS NULL'] : []),
  ]
  return {
    has: (field: FilterField, text: string, contacts = false): boolean =>
      sources(field, contacts).some(
        (from, i) => db.value<boolean>(`SELECT EXISTS (${from} AND ${i === 0 ? field : 'rm'} = $1)`, [text]) === true,
      ),
    // Ordered byte by byte (COLLATE "C"), as SQLite orders text.
    values: (field: FilterField, contacts = false): string[] =>
      db
        .rows<[string]>(
          `SELECT v FROM (SELECT DISTINCT v FROM (${sources(field, contacts).join(' UNION ALL ')}) s
            WHERE v IS NOT NULL) d ORDER BY v COLLATE "C"`,
        )
        .map(([v]) => v),
  }
}
