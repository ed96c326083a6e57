import {MIGRATIONS, type Migration, newerSchema} from '../migrations.js'
import type {PgDatabase} from './connection.js'

/**
 * Brings a PostgreSQL book's schema up to date with the same history as SQLite's (each migration's `postgres` step),
 * in one transaction. Two crm processes that start together on a new schema take turns: each holds a transaction
 * advisory lock on the schema's name while it reads the version and migrates, so the second finds the first one's
 * tables. The version is the one row of crm_schema.
 */
export function migratePostgres(db: PgDatabase, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.at(-1)?.version ?? 0
  const schema = db.target.schema
  const current = () => schemaVersionPostgres(db)
  const known = (version: number) => {
    if (version > latest) throw newerSchema(version, latest)
    return version
  }
  // Already up to date: nothing to lock (an analyst's read-only role may not create anything).
  const before = current()
  if (before !== undefined && known(before) === latest) return 0
  return db.transaction(() => {
    db.get('SELECT pg_advisory_xact_lock(hashtext($1))', [`crm schema ${schema}`])
    db.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"; SET LOCAL search_path TO "${schema}"`)
    db.exec('CREATE TABLE IF NOT EXISTS crm_schema (version integer NOT NULL)')
    db.run('INSERT INTO crm_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT FROM crm_schema)')
    const version = current() ?? 0
    const pending = migrations.filter((m) => m.version > known(version))
    for (const m of pending) {
      db.exec(m.postgres)
      db.run('UPDATE crm_schema SET version = $1', [m.version])
    }
    return pending.length
  })
}

/** The schema version of a PostgreSQL book; undefined where the schema holds no crm book. */
export function schemaVersionPostgres(db: PgDatabase): number | undefined {
  const found = db.value<boolean>('SELECT to_regclass($1) IS NOT NULL', [`"${db.target.schema}".crm_schema`])
  return found ? Number(db.value('SELECT version FROM crm_schema')) : undefined
}
