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
  if (typeof value === 'object' && value !== null && 'error' in value) throw new UserError(en('flagProblem', {flag, problem: value.error}), ExitCode.Usage)
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
    name: e.name, message: e.message, stack: e.stack, code: typeof code === 'string' ? code : undefined, path: typeof path === 'string' ? path : undefined,
    ...(e instanceof UserError ? {exitCode: e.exitCode, hint: e.hint} : {}),
  }
}

/** The error again on this side: a UserError stays one; another keeps its name and code (SQLite's errors are told apart by them). */
export function reviveError(data: ErrorData): Error {
  if (data.exitCode !== undefined) return new UserError(data.message, data.exitCode, data.hint)
  const error = Object.assign(new Error(data.message), data.code === undefined ? {} : {code: data.code}, data.path === undefined ? {} : {path: data.path})
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
 * How to put a backup in place of a damaged database. The -wal and -shm beside it belong to the damaged file: left
 * there, SQLite would replay them into the restored copy.
 */
export function restoreHint(file: string): string {
  return `restore a backup (crm db backup makes them): with no crm running, copy it over ${file} and delete ${file}-wal and ${file}-shm if they are there; ` +
    `or save what can still be read with: sqlite3 ${file} .recover | sqlite3 recovered.db`
}

/** SQLite's result codes a user can act on (extended codes such as SQLITE_IOERR_WRITE by their family). */
export function sqliteProblem(code: string | undefined, file = 'FILE'): Problem | undefined {
  const family = /^SQLITE_[A-Z]+/.exec(code ?? '')?.[0]
  switch (family) {
    case 'SQLITE_FULL': return {what: 'the disk is full', hint: 'free some space on that disk (the database needs room to grow), or move the database and give its new path with --db'}
    case 'SQLITE_READONLY': return {what: 'the file or its folder is read-only', hint: 'make both writable, or choose another database with --db'}
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH': return {what: 'permission denied', hint: 'check who may write the file and its folder, or choose another database with --db'}
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED': return {what: 'another crm holds its write lock', hint: 'try again when that crm has finished'}
    case 'SQLITE_CORRUPT': return {what: 'the file is damaged', hint: restoreHint(file)}
    case 'SQLITE_NOTADB': return {what: 'the file is damaged or is not a crm database', hint: 'check it with crm db check, restore a backup, or choose another with --db'}
    case 'SQLITE_CANTOPEN': return {what: 'the file cannot be opened', hint: 'check that its folder exists and that you may write there, or choose another with --db'}
    case 'SQLITE_IOERR': return {what: 'a read or write failed (a full or failing disk?)', hint: 'check the disk and the space left on it, or choose another database with --db'}
    default: return undefined
  }
}

/** The error codes of a failed file system call that are the user's to fix. */
export function systemProblem(code: string | undefined): Problem | undefined {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT': return {what: 'cannot write: the disk is full', hint: 'free some space on that disk, or write to another one'}
    case 'EFBIG': return {what: 'cannot write: the file is larger than its file system allows', hint: 'write to another disk'}
    case 'EROFS': return {what: 'cannot write: the file system is read-only', hint: 'write to a place that is not read-only'}
    case 'EACCES':
    case 'EPERM': return {what: 'permission denied', hint: 'choose a place you may write to, or ask for the permissions'}
    case 'EISDIR': return {what: 'that is a folder, not a file', hint: 'name a file inside it'}
    case 'ENOTDIR':
    case 'ENOENT': return {what: 'no such file or folder', hint: 'check the path (a folder crm writes into must exist)'}
    case 'EIO': return {what: 'an input/output error (a failing disk?)', hint: 'check the disk, or use another one'}
    default: return undefined
  }
}

/**
 * A failed write of `target` as the user's problem: what went wrong (a full disk, a read-only or forbidden place)
 * with the file's name, and what to do.
 */
export function writeFailure(target: string, error: unknown): UserError {
  const code = (error as {code?: string}).code
  const problem = systemProblem(code)
  if (problem === undefined) return new UserError(`cannot write ${target}: ${(error as Error).message}`, ExitCode.BadInput, 'check that there is room on the disk and you may write there')
  return new UserError(`${problem.what}: ${target} (${code})`, ExitCode.BadInput, problem.hint)
}
