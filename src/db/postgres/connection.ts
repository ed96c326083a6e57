import {MessageChannel, receiveMessageOnPort, type Worker} from 'node:worker_threads'
import {ExitCode, reviveError, UserError} from '../../errors.js'
import {startWorkerScript} from '../../worker-script.js'
import type {DbTarget} from '../target.js'
import type {PgErrorData, QueryResult, Reply, Request} from './protocol.js'

/** PostgreSQL's SQLSTATEs for a transaction that lost a race and may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01'])
const MAX_ATTEMPTS = 8

/** An error PostgreSQL reported, with its SQLSTATE in `code`. */
export class PgError extends Error {
  constructor(
    readonly data: PgErrorData,
    readonly code = data.code ?? '',
  ) {
    super(data.message)
    this.name = 'PgError'
  }
}

/**
 * A crm book on PostgreSQL, used as crm uses SQLite: synchronously. better-sqlite3 answers a query before the next
 * line runs, and crm's repositories are written that way; node-postgres answers through the event loop. The
 * connection lives on a thread of its own (connection-worker.ts) and each request waits on a shared flag
 * (Atomics.wait) for its reply, so a repository reads a PostgreSQL book the way it reads a SQLite one.
 */
export class PgDatabase {
  readonly kind = 'postgres'
  private readonly worker: Worker
  private readonly port: MessageChannel['port1']
  private readonly flag = new Int32Array(new SharedArrayBuffer(4))
  private depth = 0
  private open = true

  constructor(readonly target: Extract<DbTarget, {kind: 'postgres'}>) {
    const {port1, port2} = new MessageChannel()
    this.port = port1
    this.worker = startWorkerScript(import.meta.url, 'connection-worker', {
      workerData: {port: port2, flag: this.flag},
      transferList: [port2],
    })
    // The worker keeps nothing alive of its own: crm exits when its command is done.
    this.worker.unref()
    try {
      this.request({op: 'connect', url: target.url, schema: target.schema})
    } catch (error) {
      this.close()
      throw connectionProblem(error, target.shown)
    }
  }

  /** Rows as objects keyed by column name. */
  all<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): R[] {
    return (this.request({op: 'query', sql, params, array: false}) as QueryResult).rows as R[]
  }

  /** Rows as arrays of values, in the order of the columns. */
  rows<R extends unknown[] = unknown[]>(sql: string, params: readonly unknown[] = []): R[] {
    return (this.request({op: 'query', sql, params, array: true}) as QueryResult).rows as R[]
  }

  get<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): R | undefined {
    return this.all<R>(sql, params)[0]
  }

  /** The first column of the first row. */
  value<V = unknown>(sql: string, params: readonly unknown[] = []): V | undefined {
    return this.rows(sql, params)[0]?.[0] as V | undefined
  }

  /** A statement that changes rows: how many it changed, and what RETURNING gave. */
  run<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): {changes: number; rows: R[]} {
    const result = this.request({op: 'query', sql, params, array: false}) as QueryResult
    return {changes: result.changes, rows: result.rows as R[]}
  }

  /** Statements without parameters (a migration's DDL), in one round trip. */
  exec(sql: string): void {
    this.request({op: 'exec', sql})
  }

  /** COPY … FROM STDIN with `data` as its input; the rows copied. */
  copyFrom(sql: string, data: string | Uint8Array): number {
    return this.request({op: 'copyFrom', sql, data}) as number
  }

  /**
   * A query's rows a page at a time, through a server-side cursor (pg-query-stream): memory holds one page. Nothing
   * else may use the connection until the pages end or the loop is left.
   */
  *pages<R = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
    options: {size?: number; array?: boolean} = {},
  ): Generator<R[]> {
    this.request({op: 'cursorOpen', sql, params, array: options.array ?? false})
    try {
      for (;;) {
        const page = this.request({op: 'cursorRead', rows: options.size ?? 1000}) as R[]
        if (page.length > 0) yield page
        if (page.length < (options.size ?? 1000)) return
      }
    } finally {
      this.request({op: 'cursorClose'})
    }
  }

  /**
   * Runs `body` in a transaction (a savepoint when one is open), committed when it returns. A transaction that loses
   * a race with another crm (a serialization failure or a deadlock, which PostgreSQL ends by rolling one back) is run
   * again from the start, a few times, rather than left to the user: `body` must only touch the database.
   */
  transaction<T>(body: () => T, options: {isolation?: 'serializable' | 'repeatable read'} = {}): T {
    if (this.depth > 0) {
      const name = `crm_${this.depth}`
      this.exec(`SAVEPOINT ${name}`)
      this.depth++
      try {
        const result = body()
        this.exec(`RELEASE SAVEPOINT ${name}`)
        return result
      } catch (error) {
        this.exec(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`)
        throw error
      } finally {
        this.depth--
      }
    }
    for (let attempt = 1; ; attempt++) {
      this.exec(options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}` : 'BEGIN')
      this.depth = 1
      try {
        const result = body()
        this.exec('COMMIT')
        return result
      } catch (error) {
        try {
          this.exec('ROLLBACK')
        } catch {}
        if (!(error instanceof PgError && RETRYABLE.has(error.code) && attempt < MAX_ATTEMPTS)) throw error
        // Back off a little, differently for each process, so the two do not collide again at once.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.random() * 20 * attempt)
      } finally {
        this.depth = 0
      }
    }
  }

  /**
   * Opens a transaction that outlives one call (an import's blocks, committed every so many rows, or --dry-run's
   * whole import): transaction() calls inside it become savepoints. end() commits or rolls it back. Nothing here is
   * retried: the caller keeps its writes free of deadlocks.
   */
  begin(): void {
    if (this.depth > 0) throw new Error('a transaction is open already')
    this.exec('BEGIN')
    this.depth = 1
  }

  end(commit: boolean): void {
    if (this.depth === 0) return
    this.depth = 0
    this.exec(commit ? 'COMMIT' : 'ROLLBACK')
  }

  get isOpen(): boolean {
    return this.open
  }

  get inTransaction(): boolean {
    return this.depth > 0
  }

  close(): void {
    if (!this.open) return
    this.open = false
    try {
      this.request({op: 'close'})
    } catch {}
    void this.worker.terminate()
  }

  private request(request: Request): unknown {
    Atomics.store(this.flag, 0, 0)
    this.port.postMessage(request)
    // The thread replies to every request, its failures included (connection-worker.ts).
    Atomics.wait(this.flag, 0, 0)
    const reply = receiveMessageOnPort(this.port)?.message as Reply | undefined
    if (reply === undefined) throw new Error('the PostgreSQL connection thread gave no reply')
    if ('error' in reply) {
      throw reply.error.code !== undefined && /^[0-9A-Z]{5}$/.test(reply.error.code)
        ? new PgError(reply.error)
        : reviveError(reply.error)
    }
    return reply.ok
  }
}

/** A server that cannot be reached or refuses crm, said as such (exit 3) with what to check. */
function connectionProblem(error: unknown, shown: string): Error {
  const code = (error as {code?: string}).code ?? ''
  const message = (error as Error).message
  const hints: Record<string, string> = {
    ECONNREFUSED: 'is the server running, and listening on that host and port?',
    ENOTFOUND: 'check the host name in the URL',
    '28P01': 'check the user and password in the URL (or PGPASSWORD, ~/.pgpass)',
    '28000': 'the server does not let this user in from here: see its pg_hba.conf',
    '3D000': 'create the database first (createdb), or name one that exists',
  }
  return new UserError(
    `cannot connect to the PostgreSQL database ${shown}: ${message}`,
    ExitCode.BadInput,
    hints[code] ?? 'check the URL given with --db or CRM_DB, and that the server is reachable',
  )
}
