import {describe} from 'vitest'
import {PgDatabase} from '../../src/db/postgres/connection.js'
import {dbTarget} from '../../src/db/target.js'
import {tempDir} from './cli.js'

/**
 * The two backends the end-to-end suite runs against: a SQLite file, and a fresh schema of the PostgreSQL server
 * ($CRM_TEST_PG, else the local test server), dropped afterwards. Where no server answers, the PostgreSQL half is
 * skipped with a loud line, never passed in silence.
 */
export const TEST_PG_SERVER = process.env.CRM_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface Book {
  /** What --db takes: the file, or the URL with its schema. */
  readonly db: string
  /** A folder of the test's own, for files beside the book. */
  readonly dir: string
  readonly cleanup: () => void
}

export interface Backend {
  readonly name: 'sqlite' | 'postgres'
  book(): Book
}

let reachable: string | true | undefined

/** Whether the test server answers; the first call says so loudly when it does not. */
export function postgresReachable(): boolean {
  if (reachable === undefined) {
    try {
      new PgDatabase(postgresTarget('public')).close()
      reachable = true
    } catch (error) {
      reachable = (error as Error).message
      process.stderr.write(
        `\n!!! PostgreSQL is not reachable at ${TEST_PG_SERVER} (${reachable}):\n` +
          '!!! the PostgreSQL half of the suite is SKIPPED. Set CRM_TEST_PG to a server URL to run it.\n\n',
      )
    }
  }
  return reachable === true
}

function postgresTarget(schema: string) {
  const target = dbTarget(`${TEST_PG_SERVER}${TEST_PG_SERVER.includes('?') ? '&' : '?'}schema=${schema}`)
  if (target.kind !== 'postgres') throw new Error(`not a PostgreSQL URL: ${TEST_PG_SERVER}`)
  return target
}

let made = 0

/** A fresh PostgreSQL schema of its own (crm creates its tables on first use), dropped by cleanup. */
export function postgresBook(): Book {
  const schema = `crm_test_${process.pid}_${++made}_${Math.random().toString(36).slice(2, 8)}`
  const target = postgresTarget(schema)
  const folder = tempDir()
  return {
    db: `${TEST_PG_SERVER}${TEST_PG_SERVER.includes('?') ? '&' : '?'}schema=${schema}`,
    dir: folder.dir,
    cleanup: () => {
      folder.cleanup()
      const db = new PgDatabase({...target, schema: 'public'})
      try {
        db.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      } finally {
        db.close()
      }
    },
  }
}

export const SQLITE: Backend = {name: 'sqlite', book: () => tempDir()}
export const POSTGRES: Backend = {name: 'postgres', book: postgresBook}

/** Both backends, the PostgreSQL one only where its server answers (else skipped loudly). */
export function backends(): Backend[] {
  return postgresReachable() ? [SQLITE, POSTGRES] : [SQLITE]
}

/** describe() once per backend: `body` gets the backend to make its books with. */
export function describeBackends(title: string, body: (backend: Backend) => void): void {
  for (const backend of [SQLITE, POSTGRES]) {
    const run = backend === SQLITE || postgresReachable()
    ;(run ? describe : describe.skip)(`${title} [${backend.name}]`, () => body(backend))
  }
}

/** describe() for what only PostgreSQL has (skipped loudly where its server does not answer). */
export function describePostgres(title: string, body: () => void): void {
  ;(postgresReachable() ? describe : describe.skip)(`${title} [postgres]`, body)
}
