// Worker-thread entry for importInWorker: runs one import and posts its report, or the error that stopped it.
import {parentPort, workerData} from 'node:worker_threads'
import {errorData} from '../errors.js'
import {type ImportJob, type ImportJobMessage, runImportJob} from './import-job.js'

let message: ImportJobMessage
try {
  message = {kind: 'report', report: await runImportJob(workerData as ImportJob)}
} catch (error) {
  message = {kind: 'error', error: errorData(error)}
}
parentPort!.postMessage(message)
