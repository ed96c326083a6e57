/** Exit codes are part of the tool's contract (README, design.md). */
export const ExitCode = {
  Ok: 0,
  Bug: 1,
  Usage: 2,
  BadInput: 3,
  NotFound: 4,
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
  if (typeof value === 'object' && value !== null && 'error' in value) throw new UserError(`--${flag}: ${value.error}`, ExitCode.Usage)
  return value as T
}

/** An error as it crosses from a worker thread (a structured clone keeps neither its class nor its exit code). */
export interface ErrorData {
  readonly name: string
  readonly message: string
  readonly code?: string
  readonly exitCode?: ExitCode
  readonly hint?: string
  readonly stack?: string
}

export function errorData(error: unknown): ErrorData {
  const e = error instanceof Error ? error : new Error(String(error))
  const {code} = e as {code?: unknown}
  return {
    name: e.name, message: e.message, stack: e.stack, code: typeof code === 'string' ? code : undefined,
    ...(e instanceof UserError ? {exitCode: e.exitCode, hint: e.hint} : {}),
  }
}

/** The error again on this side: a UserError stays one; another keeps its name and code (SQLite's errors are told apart by them). */
export function reviveError(data: ErrorData): Error {
  if (data.exitCode !== undefined) return new UserError(data.message, data.exitCode, data.hint)
  const error = Object.assign(new Error(data.message), data.code === undefined ? {} : {code: data.code})
  error.name = data.name
  if (data.stack !== undefined) error.stack = data.stack
  return error
}
