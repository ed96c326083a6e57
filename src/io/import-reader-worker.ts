// Worker-thread entry for readRowsInWorker: reads and checks the file, posting blocks of rows.
import {parentPort, workerData} from 'node:worker_threads'
import {UserError} from '../errors.js'
import {postWithBackpressure, type ReaderMessage, type ReaderOptions, readRows} from './import-reader.js'

const {options, inFlight} = workerData as {options: ReaderOptions; inFlight: Int32Array}
const post = postWithBackpressure(inFlight, (m: ReaderMessage) => parentPort!.postMessage(m))
try {
  await readRows(options, post)
} catch (error) {
  const e = error as Error
  parentPort!.postMessage(error instanceof UserError
    ? {kind: 'error', message: e.message, exitCode: error.exitCode, hint: error.hint}
    : {kind: 'error', message: `internal error in the import reader: ${e.message}`, exitCode: 1, hint: 'this is a bug in crm: please report it', stack: e.stack})
}
