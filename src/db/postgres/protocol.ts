import type {ErrorData} from '../../errors.js'

/** What the command's thread asks of the PostgreSQL thread (connection-worker.ts), one request at a time. */
export type Request =
  | {op: 'connect'; url: string; schema: string}
  | {op: 'query'; sql: string; params: readonly unknown[]; array: boolean}
  | {op: 'exec'; sql: string}
  | {op: 'copyFrom'; sql: string; data: string | Uint8Array}
  | {op: 'cursorOpen'; sql: string; params: readonly unknown[]; array: boolean}
  | {op: 'cursorRead'; rows: number}
  | {op: 'cursorClose'}
  | {op: 'close'}

export interface QueryResult {
  readonly rows: unknown[]
  readonly changes: number
}

/** PostgreSQL's own words on an error, beside its SQLSTATE in `code`. */
export interface PgErrorData extends ErrorData {
  readonly detail?: string
  readonly constraint?: string
  readonly table?: string
  readonly column?: string
}

export type Reply = {ok: unknown} | {error: PgErrorData}
