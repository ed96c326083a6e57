import {ExitCode, UserError} from '../errors.js'

/** Where crm's book lives: a SQLite file (the default), or a schema of a PostgreSQL database. */
export type DbTarget =
  | {readonly kind: 'sqlite'; readonly file: string}
  | {readonly kind: 'postgres'; readonly url: string; readonly schema: string; readonly shown: string}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** Whether a --db value names a PostgreSQL server rather than a file. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value)
}

/**
 * A --db value (or $CRM_DB) as a target. A postgres:// URL picks its schema with ?schema=, else $CRM_PG_SCHEMA, else
 * public; the URL without the schema (and without a password) is what messages show.
 */
export function dbTarget(value: string, env: NodeJS.ProcessEnv = process.env): DbTarget {
  if (!isPostgresUrl(value)) return {kind: 'sqlite', file: value}
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UserError(
      `--db ${JSON.stringify(withoutPassword(value))} is not a PostgreSQL URL`,
      ExitCode.Usage,
      'write it as postgres://user@host:5432/database?schema=name',
    )
  }
  if (url.searchParams.getAll('schema').length > 1)
    throw new UserError('the URL names the schema twice', ExitCode.Usage, 'give ?schema= once')
  const schema = url.searchParams.get('schema') ?? env.CRM_PG_SCHEMA ?? 'public'
  if (!SCHEMA_NAME.test(schema) || schema.startsWith('pg_') || schema === 'information_schema')
    throw new UserError(
      `the schema ${JSON.stringify(schema)} is not one crm can use`,
      ExitCode.Usage,
      'give ?schema= (or CRM_PG_SCHEMA) as lowercase letters, digits and _, starting with a letter, ' +
        "and not one of PostgreSQL's own (pg_…, information_schema)",
    )
  url.searchParams.delete('schema')
  // A password given as ?password= is the URL's own (so that messages mask it, and pg_dump gets it from PGPASSWORD).
  const password = url.searchParams.get('password')
  if (password !== null) {
    url.password = encodeURIComponent(password)
    url.searchParams.delete('password')
  }
  const shown = new URL(url.href)
  if (shown.password !== '') shown.password = '***'
  for (const secret of ['sslpassword', 'sslkey'])
    if (shown.searchParams.has(secret)) shown.searchParams.set(secret, '***')
  shown.searchParams.set('schema', schema)
  return {kind: 'postgres', url: url.href, schema, shown: shown.href}
}

/** A URL as text with whatever stands between // and its last @ (the user and password) reduced to the user. */
function withoutPassword(value: string): string {
  return value.replace(/^([a-z]+:\/\/)([^/]*?:)?.*@/i, (_all, scheme: string, user?: string) =>
    user === undefined ? `${scheme}***@` : `${scheme}${user}***@`,
  )
}
