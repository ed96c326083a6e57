import {MessageChannel, Worker} from 'node:worker_threads'
import {openDatabase, openForDryRun} from '../db/connection.js'
import {type ErrorData, reviveError} from '../errors.js'
import {removeOnSignal, tempPathOf} from '../io/files.js'
import {sendStandardInput} from '../io/standard-input.js'
import type {ImportOptions, ImportReport} from './import-run.js'

/** One import, as the command asks for it: which rows, into which database file. */
export type ImportJob =
  | {readonly entity: 'customer'; readonly dbPath: string; readonly options: ImportOptions}
  | {readonly entity: 'contact'; readonly dbPath: string; readonly options: Omit<ImportOptions, 'mode'>}

export type ImportJobMessage = {readonly kind: 'report'; readonly report: ImportReport} | {readonly kind: 'error'; readonly error: ErrorData}

/**
 * The writer's young generation, in MB (V8 lets a busy thread's grow to 48). The writer keeps little alive between
 * statements: at 12 it spends 0.25–0.6 s of a million-row import in GC.
 */
const WRITER_YOUNG_MB = 12

/**
 * Runs an import in a worker thread (which reads the file in a worker of its own) and returns its report. The
 * command's own thread stays idle meanwhile: a busy main thread grows its young generation to 48 MB, and nothing
 * caps it once Node has started, while a worker's can be capped (resourceLimits).
 */
export async function importInWorker(job: ImportJob): Promise<ImportReport> {
  // Signals reach this thread only, so an interrupted import's unfinished reject file is removed from here.
  const stopWatching = job.options.rejects ? removeOnSignal([tempPathOf(job.options.rejects.path)]) : () => {}
  try {
    // Run from the TypeScript sources (bin/dev.js), there is no compiled worker script: import on this thread.
    return await (import.meta.url.endsWith('.ts') ? runImportJob(job) : runInWorker(job))
  } finally {
    stopWatching()
  }
}

function runInWorker(job: ImportJob): Promise<ImportReport> {
  // Standard input is read on this thread and passed on to the reader's thread (see standard-input.ts).
  const channel = job.options.file === '-' ? new MessageChannel() : undefined
  const stopStdin = channel === undefined ? undefined : sendStandardInput(channel.port1)
  const workerJob = channel === undefined ? job : {...job, options: {...job.options, source: {...job.options.source, stdin: channel.port2}}}
  const worker = new Worker(new URL('./import-worker.js', import.meta.url), {
    workerData: workerJob, transferList: channel === undefined ? [] : [channel.port2], resourceLimits: {maxYoungGenerationSizeMb: WRITER_YOUNG_MB},
  })
  return new Promise<ImportReport>((resolve, reject) => {
    worker.once('message', (m: ImportJobMessage) => (m.kind === 'report' ? resolve(m.report) : reject(reviveError(m.error))))
    worker.once('error', reject)
    // After a message this changes nothing; without one, the worker died before it could say why.
    worker.once('exit', (code) => reject(new Error(`the import stopped without a report (its thread exited with code ${code})`)))
  }).finally(() => stopStdin?.())
}

/**
 * Opens the database, runs the import and closes the database again. The import's modules are loaded here, in
 * the worker, so the command's thread never loads the reader and the writer it does not run.
 */
export async function runImportJob(job: ImportJob): Promise<ImportReport> {
  const db = job.options.dryRun ? openForDryRun(job.dbPath) : openDatabase(job.dbPath)
  try {
    if (job.entity === 'customer') {
      const {importCustomers} = await import('./import-customers.js')
      return await importCustomers(db, job.options)
    }
    const {importContacts} = await import('./import-contacts.js')
    return await importContacts(db, job.options)
  } finally {
    db.close()
  }
}
