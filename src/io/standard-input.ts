import {Readable} from 'node:stream'
import {isMainThread, type MessagePort} from 'node:worker_threads'
import {type ErrorData, errorData, reviveError} from '../errors.js'

/**
 * Standard input is read on the main thread only, through process.stdin: a libuv stream, which waits for a pipe to
 * have data. Reading fd 0 with fs reads instead fails with EAGAIN once anything has made the pipe non-blocking
 * (touching process.stdin does), and inside a worker process.stdin is not the real one. So a worker that reads
 * standard input gets it from the main thread over a MessagePort, one chunk for each chunk it asks for.
 */
type StdinMessage =
  | {readonly kind: 'data'; readonly chunk: Uint8Array}
  | {readonly kind: 'end'}
  | {readonly kind: 'error'; readonly error: ErrorData}

/** What the reading side posts to ask for the next chunk. */
const MORE = 'more'

/** How much a worker buffers ahead of its reader: a few of the main thread's chunks (pipe reads are at most 64 KiB). */
const AHEAD_BYTES = 256 * 1024

/**
 * Sends this process's standard input down `port`, a chunk for each request, so it is never read faster than the
 * other thread uses it. Returns a function that stops sending and lets go of standard input (call it when the
 * reader is done, or failed: a writer may still be filling the pipe).
 */
export function sendStandardInput(port: MessagePort, stdin: Readable = process.stdin): () => void {
  let wanted = 0
  let stopped = false
  const pump = () => {
    while (wanted > 0 && !stopped) {
      const chunk = stdin.read() as Buffer | null
      if (chunk === null) return // 'readable' calls again when there is more (or the end)
      wanted--
      port.postMessage({kind: 'data', chunk} satisfies StdinMessage)
    }
  }
  const onEnd = () => port.postMessage({kind: 'end'} satisfies StdinMessage)
  const onError = (error: Error) => port.postMessage({kind: 'error', error: errorData(error)} satisfies StdinMessage)
  const stop = () => {
    if (stopped) return
    stopped = true
    stdin.off('readable', pump).off('end', onEnd).off('error', onError)
    // Nothing reads it any more: without this the pipe's handle keeps the process alive until the writer stops.
    stdin.destroy()
    port.close()
  }
  stdin.on('readable', pump).on('end', onEnd).on('error', onError)
  port.on('message', () => {
    wanted++
    pump()
  })
  port.on('close', stop)
  return stop
}

/** The reading side of sendStandardInput: a stream of the bytes the main thread sends. */
export function receiveStandardInput(port: MessagePort): Readable {
  const input = new Readable({
    highWaterMark: AHEAD_BYTES,
    read: () => port.postMessage(MORE),
    destroy: (error, callback) => {
      port.close()
      callback(error)
    },
  })
  port.on('message', (message: StdinMessage) => {
    if (message.kind === 'data')
      input.push(Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength))
    else if (message.kind === 'end') {
      input.push(null)
      port.close()
    } else input.destroy(reviveError(message.error))
  })
  return input
}

/**
 * Standard input as a stream on this thread: process.stdin on the main thread, else what the main thread sends over
 * `port`.
 */
export function standardInput(port: MessagePort | undefined): Readable {
  if (port !== undefined) return receiveStandardInput(port)
  if (!isMainThread)
    throw new Error('standard input was not passed to this worker thread (give it a port from sendStandardInput)')
  return process.stdin
}
