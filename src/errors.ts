import {en} from './core/messages.js'

/** Exit codes are part of the tool's contract (README, design.md). */
export const ExitCode = {
  Ok: 0,
  Bug: 1,
  Usage: 2,
  BadInput: 3,
  NotFound: 4,
  /** Ctrl-C at a prompt: 128 + SIGINT, what a shell reports for a command interrupted the same way. */
  Cancelled: 130,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** An error the user can fix: printed without a stack trace, with a hint, and mapped to an exit code. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Usage,
    readonly hint?: string,
  ) {
    super(message)
    this.name = 'UserError'
  }
}

export function notFound(message: string, hint?: string): never {
  throw new UserError(message, ExitCode.NotFound, hint)
}

export function badInput(message: string, hint?: string): never {
  throw new UserError(message, ExitCode.BadInput, hint)
}

/** A flag's parsed value, or a usage error (exit 2) naming the flag when parsing gave {error}. */
export function flagValue<T>(flag: string, value: T | {error: string}): T {
  if (typeof value === 'object' && value !== null && 'error' in value)
    throw new UserError(en('flagProblem', {flag, problem: value.error}), ExitCode.Usage)
  return value as T
}

/** An error as it crosses from a worker thread (a structured clone keeps neither its class nor its exit code). */
export interface ErrorData {
  readonly name: string
  readonly message: string
  readonly code?: string
  /** The file a system call failed on (ENOSPC, EACCES …), when Node names it. */
  readonly path?: string
  readonly exitCode?: ExitCode
  readonly hint?: string
  readonly stack?: string
}

export function errorData(error: unknown): ErrorData {
  const e = error instanceof Error ? error : new Error(String(error))
  const {code, path} = e as {code?: unknown; path?: unknown}
  return {
    name: e.name,
    message: e.message,
    stack: e.stack,
    code: typeof code === 'string' ? code : undefined,
    path: typeof path === 'string' ? path : undefined,
    ...(e instanceof UserError ? {exitCode: e.exitCode, hint: e.hint} : {}),
  }
}

/**
 * The error again on this side: a UserError stays one; another keeps its name and code (SQLite's errors are told apart
 * by them).
 */
export function reviveError(data: ErrorData): Error {
  if (data.exitCode !== undefined) return new UserError(data.message, data.exitCode, data.hint)
  const error = Object.assign(
    new Error(data.message),
    data.code === undefined ? {} : {code: data.code},
    data.path === undefined ? {} : {path: data.path},
  )
  error.name = data.name
  if (data.stack !== undefined) error.stack = data.stack
  return error
}

/** Only a true value turns stacks on: DEBUG=0 or DEBUG=false does not (* as the debug module reads it). */
export function debugWanted(value: string | undefined): boolean {
  return /^(1|true|yes|on|\*)$/i.test(value?.trim() ?? '')
}

/** What went wrong in words, and what to do about it. */
export interface Problem {
  readonly what: string
  readonly hint: string
}

/**
 * How to put a backup in place of a damaged database: crm db restore, which keeps the damaged file (and its -wal,
 * which left there SQLite would replay into the restored copy) beside it.
 */
export function restoreHint(file: string): string {
  return en('restoreBackup', {file})
}

/** SQLite's result codes a user can act on (extended codes such as SQLITE_IOERR_WRITE by their family). */
export function sqliteProblem(code: string | undefined, file = 'FILE'): Problem | undefined {
  const family = /^SQLITE_[A-Z]+/.exec(code ?? '')?.[0]
  switch (family) {
    case 'SQLITE_FULL':
      return {what: en('diskFull'), hint: en('freeSpaceDb')}
    case 'SQLITE_READONLY':
      return {what: en('readOnlyFile'), hint: en('makeWritable')}
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return {what: en('permissionDenied'), hint: en('checkWriters')}
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return {what: en('writeLocked'), hint: en('tryAgainLater')}
    case 'SQLITE_CORRUPT':
      return {what: en('fileDamaged'), hint: restoreHint(file)}
    case 'SQLITE_NOTADB':
      return {what: en('notCrmDb'), hint: en('checkOrRestore')}
    case 'SQLITE_CANTOPEN':
      return {what: en('cannotOpen'), hint: en('checkFolder')}
    case 'SQLITE_IOERR':
      return {what: en('readWriteFailed'), hint: en('checkDiskSpace')}
    default:
      return undefined
  }
}

/**
 * PostgreSQL's errors (by SQLSTATE) that are the user's to fix, not crm's: a role that may not write, a server gone
 * or full, a lock held too long. Others (a constraint crm should have checked) stay internal errors.
 */
export function postgresProblem(code: string | undefined): Problem | undefined {
  if (code === undefined) return undefined
  if (code === '42501' || code === '25006') return {what: en('pgReadOnlyRole'), hint: en('pgAskForRole')}
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03')
    return {what: en('pgServerGone'), hint: en('pgTryAgain')}
  if (code.startsWith('53')) return {what: en('pgServerFull'), hint: en('pgFreeServerSpace')}
  if (code === '57014') return {what: en('pgCancelled'), hint: en('pgAskLongerTimeout')}
  if (code === '54000' || code === '22021' || code === '22P05')
    return {what: en('pgCannotStore'), hint: en('pgFixValue')}
  if (code === '55P03' || code === '40001' || code === '40P01') return {what: en('pgBusy'), hint: en('tryAgainLater')}
  return undefined
}

/** The error codes of a failed file system call that are the user's to fix. */
export function systemProblem(code: string | undefined): Problem | undefined {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return {what: en('cannotWriteFull'), hint: en('freeSpace')}
    case 'EFBIG':
      return {what: en('fileTooLarge'), hint: en('writeElsewhere')}
    case 'EROFS':
      return {what: en('readOnlyFs'), hint: en('writeNotReadOnly')}
    case 'EACCES':
    case 'EPERM':
      return {what: en('permissionDenied'), hint: en('choosePlace')}
    case 'EISDIR':
      return {what: en('folderNotFile'), hint: en('nameFileInside')}
    case 'ENOTDIR':
    case 'ENOENT':
      return {what: en('noSuchFileOrFolder'), hint: en('checkWritePath')}
    case 'EIO':
      return {what: en('ioError'), hint: en('checkDisk')}
    default:
      return undefined
  }
}

/**
 * A failed write of `target` as the user's problem: what went wrong (a full disk, a read-only or forbidden place)
 * with the file's name, and what to do.
 */
export function writeFailure(target: string, error: unknown): UserError {
  const code = (error as {code?: string}).code
  const problem = systemProblem(code)
  if (problem === undefined)
    return new UserError(
      en('cannotWriteTarget', {file: target, reason: (error as Error).message}),
      ExitCode.BadInput,
      en('checkRoom'),
    )
  return new UserError(
    en('systemProblemAt', {what: problem.what, file: target, code: code ?? ''}),
    ExitCode.BadInput,
    problem.hint,
  )
}
