// Worker-thread entry of import-channel.ts: reads and checks the file, posting blocks of rows.
import {parentPort, workerData} from 'node:worker_threads'
import {readerPost} from './import-channel.js'
import {type ReaderOptions, readRows} from './import-reader.js'

const {options, inFlight} = workerData as {options: ReaderOptions; inFlight: Int32Array}
const channel = readerPost(inFlight, (m, transfer) => parentPort!.postMessage(m, transfer))
// The writer sends each block's buffers back once unpacked (the port is unref'd: they are not waited for).
parentPort!.on('message', channel.returned)
parentPort!.unref()
try {
  await readRows(options, channel.send, channel.buffers)
} catch (error) {
  channel.fail(error)
}
