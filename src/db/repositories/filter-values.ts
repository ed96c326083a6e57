import {type CrmDatabase, isPostgres} from '../connection.js'
import {postgresFilterValueRepository} from '../postgres/filter-values.js'
import type {Database, Statement} from 'better-sqlite3'
import type {FilterField} from '../../core/filter-match.js'

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres). */
export function filterValueRepository(db: CrmDatabase) {
  if (isPostgres(db)) return postgresFilterValueRepository(db)
  return sqliteFilterValueRepository(db)
}

/**
 * The values a filter flag can select. Contacts' own managers count for --rm of the contact commands, which match a
 * contact's manager before its customer's. Customers have no index on branch or rm: the exact check stops at the
 * first match, and the full list is read only when the text is not a value.
 */
export function sqliteFilterValueRepository(db: Database) {
  const statements = new Map<string, Statement<unknown[]>>()
  const prepared = (key: string, sql: string) => {
    let stmt = statements.get(key)
    if (stmt === undefined) statements.set(key, (stmt = db.prepare<unknown[]>(sql).pluck()))
    return stmt
  }
  // Field names come from FilterField, never from the user's text; values are bound.
  const sources = (field: FilterField, contacts: boolean) => [
    `SELECT ${field} AS v
    FROM customers WHERE deleted_at IS NULL`,
    ...(contacts && field === 'rm' ? ['SELECT rm AS v FROM contacts WHERE deleted_at IS NULL'] : []),
  ]
  return {
    has: (field: FilterField, text: string, contacts = false): boolean =>
      sources(field, contacts).some(
        (from, i) =>
          prepared(
            `has ${field} ${i}`,
            `SELECT EXISTS (${from}
        AND ${i === 0 ? field : 'rm'} = ?)`,
          ).get(text) === 1,
      ),
    values: (field: FilterField, contacts = false): string[] =>
      prepared(
        `values ${field} ${contacts}`,
        `SELECT DISTINCT v FROM (${sources(field, contacts).join(' UNION ALL ')})
        WHERE v IS NOT NULL ORDER BY v`,
      ).all() as string[],
  }
}
export type FilterValueRepository = ReturnType<typeof filterValueRepository>
