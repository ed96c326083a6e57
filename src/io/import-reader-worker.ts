// Worker-thread entry for readRowsInWorker: reads and checks the file, posting blocks of rows.
import {parentPort, workerData} from 'node:worker_threads'
import {errorData} from '../errors.js'
import {postWithBackpressure, type ReaderMessage, type ReaderOptions, readRows} from './import-reader.js'

const {options, inFlight} = workerData as {options: ReaderOptions; inFlight: Int32Array}
const post = postWithBackpressure(inFlight, (m: ReaderMessage) => parentPort!.postMessage(m))
try {
  await readRows(options, post)
} catch (error) {
  parentPort!.postMessage({kind: 'error', error: errorData(error)} satisfies ReaderMessage)
}
