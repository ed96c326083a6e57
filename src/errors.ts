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
