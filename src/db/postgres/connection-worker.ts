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
let cursor: {stream: QueryStream; rows: AsyncIterator<unknown>} | undefined
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
      client.on('error', (error) => {
        lost = error
      })
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
      return null
    }
    case 'cursorRead': {
      if (cursor === undefined) throw new Error('no cursor is open')
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

// Whatever else goes wrong on this thread is replied too: the command's thread is waiting for a reply.
process.on('uncaughtException', (error) => reply({error: errorData(error)}))

port.on('message', (request: Request) => {
  handle(request).then(
    (ok) => reply({ok}),
    (error: unknown) => {
      const e = error as {detail?: string; constraint?: string; table?: string; column?: string}
      const data: PgErrorData = {
        ...errorData(error),
        detail: e.detail,
        constraint: e.constraint,
        table: e.table,
        column: e.column,
      }
      reply({error: data})
    },
  )
})
