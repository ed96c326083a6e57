import {type CrmDatabase, type Database, isPostgres} from '../connection.js'
import {ExitCode, UserError} from '../../errors.js'

/** What a PostgreSQL book cannot do yet: said plainly (exit 2), never half-done. */
export function notYetOnPostgres(what: string): never {
  throw new UserError(
    `${what} does not run on a PostgreSQL book yet`,
    ExitCode.Usage,
    'run it on a SQLite book (--db FILE)',
  )
}

/** A SQLite book's connection, for a path not yet built for PostgreSQL (which is refused, as notYetOnPostgres says). */
export function sqliteOnly(db: CrmDatabase, what: string): Database {
  if (isPostgres(db)) return notYetOnPostgres(what)
  return db
}
