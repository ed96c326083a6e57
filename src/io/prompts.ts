import {accessSync, constants, statSync} from 'node:fs'
import {delimiter, join} from 'node:path'
import {en} from '../core/messages.js'
import {ExitCode, UserError} from '../errors.js'

/**
 * Interactive prompts (@inquirer/prompts), loaded only when a prompt is really shown so that scripted runs start
 * fast. Commands ask only when a required value is missing and both ends are a terminal.
 */
export interface Choice {
  readonly value: string
  readonly name: string
  readonly description?: string
}

/** A prompt can be shown: stdin and stdout are a terminal and no --json. */
export function canPrompt(json: boolean): boolean {
  return !json && process.stdin.isTTY === true && process.stdout.isTTY === true
}

/** Type part of a name or id and pick from the matches. */
export async function searchChoice(message: string, find: (text: string) => Choice[]): Promise<string> {
  const {search} = await import('@inquirer/prompts')
  return cancellable(search({message, source: async (term) => (term ? find(term) : find('')).map((c) => ({...c}))}))
}

export async function selectChoice(message: string, choices: readonly Choice[]): Promise<string> {
  const {select} = await import('@inquirer/prompts')
  return cancellable(select({message, choices: choices.map((c) => ({...c}))}))
}

/** Free text, re-asked while `validate` returns a message. */
export async function askText(
  message: string,
  validate: (text: string) => string | true = () => true,
  defaultValue?: string,
): Promise<string> {
  const {input} = await import('@inquirer/prompts')
  return cancellable(input({message, default: defaultValue, validate}))
}

/** Text written in $VISUAL or $EDITOR (vim when neither is set), opened at once. */
export async function askEditor(message: string): Promise<string> {
  const {editor} = await import('@inquirer/prompts')
  return cancellable(editor({message, waitForUserInput: false}))
}

/**
 * Whether an editor command ($VISUAL/$EDITOR, its first word the program) names a program that exists and can be run:
 * a path, or a name found on PATH. The editor prompt cannot say an editor failed to start (it asks again forever).
 */
export function editorFound(command: string): boolean {
  const program = command.trim().split(/\s+/)[0] ?? ''
  if (program === '') return false
  const runnable = (path: string) => {
    try {
      accessSync(path, constants.X_OK)
      return statSync(path).isFile()
    } catch {
      return false
    }
  }
  if (program.includes('/') || program.includes('\\')) return runnable(program)
  const exts = process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : ['']
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => exts.some((ext) => runnable(join(dir, program + ext))))
}

export async function askConfirm(message: string): Promise<boolean> {
  const {confirm} = await import('@inquirer/prompts')
  return cancellable(confirm({message, default: true}))
}

/**
 * Ctrl-C (or a closed terminal) at a prompt is the user cancelling, not a bug: exit 130, like a command
 * interrupted by Ctrl-C. Every prompt comes before anything is written.
 */
async function cancellable<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError')
      throw new UserError(en('cancelledNothingSaved'), ExitCode.Cancelled)
    throw error
  }
}
