// Worker-thread entry for readRowsInWorker: reads and checks the file, posting blocks of rows.
import {parentPort, workerData} from 'node:worker_threads'
import {errorData} from '../errors.js'
import {type BlockBuffers, BufferPool} from '../core/packed-rows.js'
import {postWithBackpressure, type ReaderMessage, type ReaderOptions, readRows} from './import-reader.js'

const {options, inFlight} = workerData as {options: ReaderOptions; inFlight: Int32Array}
const post = postWithBackpressure(inFlight, (m, transfer) => parentPort!.postMessage(m, transfer))
// The writer sends each block's buffers back once written (the port is unref'd: they are not waited for).
const buffers = new BufferPool()
parentPort!.on('message', (returned: BlockBuffers) => buffers.give(returned))
parentPort!.unref()
try {
  await readRows(options, post, buffers)
} catch (error) {
  parentPort!.postMessage({kind: 'error', error: errorData(error)} satisfies ReaderMessage)
}
