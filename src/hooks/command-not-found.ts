import type {Hook} from '@oclif/core'
import {say} from '../core/messages.js'
import {closestMatch} from '../core/suggest.js'
import {ExitCode} from '../errors.js'
import {resolveLang} from '../io/terminal.js'

/** An unknown command is a usage error (exit 2) that names the closest command, in the reader's language. */
const hook: Hook.CommandNotFound = async (options) => {
  const typed = options.id.replaceAll(':', ' ')
  // No command parsed the flags: --lang is found among the words as typed (--lang zh, --lang=zh), else the locale.
  const argv = options.argv ?? []
  const langAt = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='))
  const lang = resolveLang(
    langAt < 0 ? undefined : argv[langAt].startsWith('--lang=') ? argv[langAt].slice(7) : argv[langAt + 1],
  )
  const error = (message: string) => say(lang, 'errorLine', {label: say(lang, 'errorLabel'), message})
  if (typed.startsWith('-')) {
    // Only flags were given (crm --db x.db): every flag belongs to a command.
    process.stderr.write(`${error(say(lang, 'onlyFlagGiven', {flag: typed}))}\n  ${say(lang, 'onlyFlagGivenHint')}\n`)
    process.exitCode = ExitCode.Usage
    return
  }
  const commands = options.config.commands.filter((c) => !c.hidden).map((c) => c.id.replaceAll(':', ' '))
  const near = closestMatch(typed, commands)
  const topic = commands.filter((c) => c.startsWith(`${typed.split(' ')[0]} `))
  process.stderr.write(`${error(say(lang, 'notACommand', {typed}))}\n`)
  if (near) process.stderr.write(`  ${say(lang, 'didYouMeanCommand', {command: `crm ${near}`})}\n`)
  else if (topic.length > 0)
    process.stderr.write(`  ${say(lang, 'topicCommands', {commands: topic.map((c) => `crm ${c}`).join(', ')})}\n`)
  else process.stderr.write(`  ${say(lang, 'seeCrmHelp')}\n`)
  process.exitCode = ExitCode.Usage
}

export default hook
