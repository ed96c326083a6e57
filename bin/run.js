#!/usr/bin/env node
import {execute} from '@oclif/core'
import {globalFlagsAfterCommand} from './global-flags.js'

await execute({args: globalFlagsAfterCommand(process.argv.slice(2)), dir: import.meta.url})
