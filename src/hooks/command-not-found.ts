import type {Hook} from '@oclif/core'
import {closestMatch} from '../core/suggest.js'
import {ExitCode} from '../errors.js'

/** An unknown command is a usage error (exit 2) that names the closest command. */
const hook: Hook.CommandNotFound = async (options) => {
  const typed = options.id.replaceAll(':', ' ')
  if (typed.startsWith('-')) {
    // Only flags were given (crm --db x.db): every flag belongs to a command.
    process.stderr.write(
      `Error: no command given, only the flag ${typed}.\n  Flags go with a command, as in: crm customer list --db FILE (see: crm --help)\n`,
    )
    process.exitCode = ExitCode.Usage
    return
  }
  const commands = options.config.commands.filter((c) => !c.hidden).map((c) => c.id.replaceAll(':', ' '))
  const near = closestMatch(typed, commands)
  const topic = commands.filter((c) => c.startsWith(`${typed.split(' ')[0]} `))
  process.stderr.write(`Error: "${typed}" is not a crm command.\n`)
  if (near) process.stderr.write(`  Did you mean: crm ${near}?\n`)
  else if (topic.length > 0) process.stderr.write(`  Commands: ${topic.map((c) => `crm ${c}`).join(', ')}\n`)
  else process.stderr.write('  See: crm --help\n')
  process.exitCode = ExitCode.Usage
}

export default hook
