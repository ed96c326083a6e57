import {once} from 'node:events'
import {userInfo} from 'node:os'
import {workerData} from 'node:worker_threads'
import type {MessagePort} from 'node:worker_threads'
import pg from 'pg'
import {from as copyFrom} from 'pg-copy-streams'
import QueryStream from 'pg-query-stream'
import {errorData} from '../../errors.js'
import type {PgErrorData, QueryResult, Reply, Request} from './protocol.js'

// The PostgreSQL thread: it holds the one connection and runs each request the command's thread sends, replying
// on the port and waking it through the shared flag (connection.ts waits on it).

// Whole numbers (count(*), bigint fen) as numbers while they are exact, else as bigint; times, dates and JSON as
// the text PostgreSQL writes, which crm reads as it reads SQLite's text.
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => {
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : BigInt(text)
})
for (const type of [
  pg.types.builtins.TIMESTAMPTZ,
  pg.types.builtins.TIMESTAMP,
  pg.types.builtins.DATE,
  pg.types.builtins.JSON,
  pg.types.builtins.JSONB,
])
  pg.types.setTypeParser(type, (text) => text)

const {port, flag} = workerData as {port: MessagePort; flag: Int32Array}
let client: pg.Client | undefined
let cursor: {stream: QueryStream; rows: AsyncIterator<unknown>; failed?: Error} | undefined
// The server ending the connection between requests (a restart, an administrator's pg_terminate_backend) is said at
// the next request, rather than ending this thread while the command's thread waits on it.
let lost: Error | undefined

function connected(): pg.Client {
  if (lost !== undefined) throw lost
  if (client === undefined) throw new Error('not connected')
  if (cursor !== undefined) throw new Error('a query was sent while a cursor is open on the connection')
  return client
}

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'connect': {
      // A server that takes the connection but never answers is given up on rather than waited for.
      // With no user in the URL nor PGUSER, the OS user, as psql does (node-postgres reads $USER, which may be unset;
      // this thread's environment is its own copy).
      process.env.PGUSER ||= userInfo().username
      client = new pg.Client({
        connectionString: request.url,
        application_name: 'crm',
        connectionTimeoutMillis: 15_000,
      })
      client.on('error', lose)
      client.on('end', () => lose(new Error('the server closed the connection')))
      await client.connect()
      // Quoted: the schema's name was checked to be a plain lowercase identifier (target.ts).
      // Dates come back as 'YYYY-MM-DD' whatever the server's DateStyle (a bank's may be 'SQL, DMY').
      await client.query(`SET search_path TO "${request.schema}"; SET TIME ZONE 'UTC'; SET DateStyle TO 'ISO, YMD'`)
      return null
    }
    case 'query': {
      const result = await connected().query({
        text: request.sql,
        values: request.params as unknown[],
        ...(request.array ? {rowMode: 'array'} : {}),
      })
      return {rows: result.rows, changes: result.rowCount ?? 0} satisfies QueryResult
    }
    case 'exec':
      await connected().query(request.sql)
      return null
    case 'copyFrom': {
      const stream = connected().query(copyFrom(request.sql))
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject)
        stream.on('finish', resolve)
        stream.end(request.data)
      })
      return stream.rowCount
    }
    case 'cursorOpen': {
      const stream = connected().query(
        new QueryStream(request.sql, request.params as unknown[], request.array ? {rowMode: 'array'} : {}),
      )
      cursor = {stream, rows: stream[Symbol.asyncIterator]()}
      // A failure between two reads (a statement timeout) is kept for the next read to throw.
      stream.on('error', (error) => {
        if (cursor?.stream === stream) cursor.failed ??= error
      })
      return null
    }
    case 'cursorRead': {
      if (cursor === undefined) throw new Error('no cursor is open')
      if (cursor.failed !== undefined) throw cursor.failed
      const rows: unknown[] = []
      while (rows.length < request.rows) {
        const next = await cursor.rows.next()
        if (next.done) break
        rows.push(next.value)
      }
      return rows
    }
    case 'cursorClose': {
      const open = cursor
      cursor = undefined
      if (open !== undefined && !open.stream.destroyed) {
        const closed = once(open.stream, 'close')
        open.stream.destroy()
        await closed
      }
      return null
    }
    case 'close': {
      const open = client
      client = undefined
      await open?.end()
      return null
    }
  }
}

function reply(message: Reply): void {
  port.postMessage(message)
  Atomics.store(flag, 0, 1)
  Atomics.notify(flag, 0)
}

// Whatever else goes wrong on this thread answers the request in flight (the command's thread waits for it), or
// is said at the next one.
process.on('uncaughtException', (error) => {
  if (answer !== undefined) answer({error: errorData(error)})
  else lost ??= error
})

// The request being answered: a connection lost meanwhile answers it with the loss at once, since a cursor's read
// may otherwise wait for ever on a socket that is gone.
let answer: ((message: Reply) => void) | undefined

function lose(error: Error): void {
  // Said as a connection failure (SQLSTATE class 08) unless the server gave a SQLSTATE of its own.
  lost ??= /^[0-9A-Z]{5}$/.test((error as {code?: string}).code ?? '') ? error : Object.assign(error, {code: '08006'})
  cursor = undefined
  answer?.({error: errorData(lost)})
}

port.on('message', (request: Request) => {
  let answered = false
  const settle = (message: Reply) => {
    if (answered) return
    answered = true
    answer = undefined
    reply(message)
  }
  answer = settle
  handle(request).then(
    (ok) => settle({ok}),
    (error: unknown) => {
      const e = error as {detail?: string; constraint?: string; table?: string; column?: string}
      const data: PgErrorData = {
        ...errorData(error),
        // A socket error once connected (ECONNRESET, EPIPE …) is the connection lost: SQLSTATE class 08.
        ...(request.op !== 'connect' && /^E[A-Z]+$/.test((error as {code?: string}).code ?? '') ? {code: '08006'} : {}),
        detail: e.detail,
        constraint: e.constraint,
        table: e.table,
        column: e.column,
      }
      settle({error: data})
    },
  )
})
