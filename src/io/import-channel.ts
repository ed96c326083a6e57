import {MessageChannel, type MessagePort, type Worker} from 'node:worker_threads'
import {startWorkerScript} from '../worker-script.js'
import {errorData, reviveError} from '../errors.js'
import type {ReadBlock, ReaderMessage, ReaderOptions} from './import-reader.js'
import {type BlockBuffers, BufferPool, PackedRows, type PackedRowsData, transferList} from './packed-rows.js'
import {sendStandardInput} from './standard-input.js'

/**
 * The one thread boundary of an import: the reader (parse and check, import-reader.ts) runs in a worker, and its
 * messages arrive here, on the command's thread, which writes. A block's rows cross packed (packed-rows.ts): the reader
 * packs each row as it accepts it, and the writer decodes a slice of rows at a time as it writes them.
 */

type RowsMessage<B> = Omit<Extract<ReaderMessage, {kind: 'rows'}>, 'block'> & {readonly block: B}

/** A rows message as it crosses: the rows packed into transferable buffers. */
type WireMessage =
  | Exclude<ReaderMessage, {kind: 'rows'}>
  | RowsMessage<{
      readonly lines: number[]
      readonly cells: string[][]
      readonly values: PackedRowsData
      readonly order: number[] | null
    }>

/** The messages the writer gets: a block's rows are decoded when asked for. */
export type WriterMessage = Exclude<ReaderMessage, {kind: 'rows'}> | RowsMessage<ReadBlock> | {readonly kind: 'idle'}

/**
 * The reader's young generation, in MB (V8 lets a busy thread's grow to 48, some 25 MB more at the peak). The reader
 * allocates fast but keeps little.
 */
const READER_YOUNG_MB = 24

/**
 * A cap on the reader's old generation, in MB, far above what it keeps (about 10 MB live). V8 lets a heap whose cap
 * is under 2 GB grow by a smaller factor after each full collection: the reader's old generation, which fills with
 * the rows of blocks being gathered, then peaks near 25 MB rather than 45.
 */
const READER_OLD_MB = 1024

/**
 * At most this many blocks wait for the writer, so memory stays flat when reading outruns writing. Neither thread
 * keeps an even pace (collections, commits): room for a few blocks keeps either from waiting on the other's pauses.
 */
const MAX_IN_FLIGHT = 6

/** How long the writer waits for the reader before it is told so (only a slow input makes it wait). */
const IDLE_MS = 200

/**
 * Reads and checks the file in a worker thread and yields the reader's messages in order, and `idle` when none came
 * for a moment (the writer then commits, so it holds no lock while it waits). Standard input is read on this thread
 * and passed on (see standard-input.ts).
 */
export async function* readRowsInWorker(options: ReaderOptions): AsyncGenerator<WriterMessage> {
  const inFlight = new Int32Array(new SharedArrayBuffer(4))
  const stdin = options.file === '-' ? new MessageChannel() : undefined
  const stopStdin = stdin === undefined ? undefined : sendStandardInput(stdin.port1)
  const workerOptions = stdin === undefined ? options : {...options, source: {...options.source, stdin: stdin.port2}}
  const worker = startWorker({options: workerOptions, inFlight}, stdin === undefined ? [] : [stdin.port2])
  const queue: WireMessage[] = []
  let wake: (() => void) | undefined
  let failure: Error | undefined
  let exited = false
  worker.on('message', (m: WireMessage) => {
    queue.push(m)
    wake?.()
  })
  worker.on('error', (e) => {
    failure = e
    wake?.()
  })
  worker.on('exit', () => {
    exited = true
    wake?.()
  })
  let idle = false
  try {
    for (;;) {
      while (queue.length === 0 && failure === undefined && !exited) {
        let timer: NodeJS.Timeout | undefined
        const woken = await new Promise<boolean>((resolve) => {
          wake = () => resolve(true)
          if (!idle) timer = setTimeout(() => resolve(false), IDLE_MS)
        })
        clearTimeout(timer)
        if (!woken) {
          idle = true
          yield {kind: 'idle'}
        }
      }
      idle = false
      wake = undefined
      if (failure) throw failure
      const message = queue.shift()
      if (message === undefined) throw new Error('the import reader stopped without finishing')
      if (message.kind === 'error') throw reviveError(message.error)
      if (message.kind === 'rows') {
        const packed = PackedRows.revive(message.block.values)
        const {lines, cells, order} = message.block
        const count = order === null ? packed.count : order.length
        yield {...message, block: {lines, cells, count, rows: (from, to) => packed.rowsAt(from, to, order)}}
        // Written: the buffers go back to be filled again.
        worker.postMessage(packed.buffers, transferList(packed.buffers))
      } else yield message
      Atomics.sub(inFlight, 0, 1)
      Atomics.notify(inFlight, 0)
      if (message.kind === 'end') return
    }
  } finally {
    stopStdin?.()
    await worker.terminate()
  }
}

/** The reader's worker thread (import-reader-worker.ts). */
function startWorker(workerData: unknown, transfer: readonly MessagePort[]): Worker {
  const options = {
    workerData,
    transferList: [...transfer],
    resourceLimits: {maxYoungGenerationSizeMb: READER_YOUNG_MB, maxOldGenerationSizeMb: READER_OLD_MB},
  }
  return startWorkerScript(import.meta.url, 'import-reader-worker', options)
}

/**
 * The worker's side: returns the function that posts each reader message, its rows packed, and blocks while
 * MAX_IN_FLIGHT messages wait; `returned` takes back the buffers of a block the writer has unpacked.
 */
export function readerPost(inFlight: Int32Array, post: (m: WireMessage, transfer: ArrayBuffer[]) => void) {
  const buffers = new BufferPool()
  const send = (message: ReaderMessage): void => {
    for (let n = Atomics.load(inFlight, 0); n >= MAX_IN_FLIGHT; n = Atomics.load(inFlight, 0))
      Atomics.wait(inFlight, 0, n, 1000)
    Atomics.add(inFlight, 0, 1)
    if (message.kind !== 'rows') {
      post(message, [])
      return
    }
    const {values} = message.block
    // The buffers move to the writer's thread rather than being copied.
    post(message, transferList(values.buffers))
  }
  return {
    send,
    /** The buffers the reader packs rows into: those of written blocks come back to it. */
    buffers,
    /** Posts what stopped the reader, without waiting: the writer stops at it. */
    fail: (error: unknown) => post({kind: 'error', error: errorData(error)}, []),
    returned: (block: BlockBuffers) => buffers.give(block),
  }
}
