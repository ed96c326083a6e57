#!/usr/bin/env node
import {stopOnOutputError} from './output-errors.js'

stopOnOutputError()
const {execute} = await import('@oclif/core')
const {globalFlagsAfterCommand} = await import('./global-flags.js')
await execute({args: globalFlagsAfterCommand(process.argv.slice(2)), dir: import.meta.url})
