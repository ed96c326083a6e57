import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {compileScheme} from '../../core/schemes/scheme.js'
import {visible} from '../../core/visible.js'
import {readScheme} from '../../io/scheme-file.js'

/** An invalid scheme is an error (exit 3), so a result is always valid: the tiers and the inputs its rules read. */
export type SchemeValidateResult = {
  readonly valid: true
  readonly name: string
  readonly version: string
  readonly hash: string
  readonly tiers: string[]
  readonly reads: string[]
}

export default class SchemeValidate extends BaseCommand<typeof SchemeValidate, SchemeValidateResult> {
  static override summary = 'Check a scheme file: its structure, every rule, and that every tier can be reached.'
  static override description =
    'Exits 0 when the scheme is good, 3 with the file, line and column of the first mistake when it is not.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> my-tiers.yaml',
    '<%= config.bin %> <%= command.id %> my-tiers.yaml --json',
  ]
  static override args = {
    file: Args.string({
      description: 'the scheme file (YAML or JSON), or a built-in name',
      required: true,
      ignoreStdin: true,
    }),
  }
  static override flags = {
    where: Flags.string({summary: 'Also check this --where rule against the scheme.'}),
    'as-of': Flags.string({hidden: true}),
  }

  async run(): Promise<SchemeValidateResult> {
    const scheme = readScheme(this.args.file)
    const asOf = this.dateFlag('as-of', this.flags['as-of'])
    const compiled = compileScheme(scheme, asOf, this.flags.where)
    // The file's name and what is in it are shown, not obeyed: a scheme may hold control characters.
    this.note(
      visible(
        `${this.args.file}: ${scheme.name} v${scheme.version} is valid: ${scheme.tiers.length} tiers, reads ` +
          `${compiled.inputs.map((i) => i.name).join(', ') || 'nothing'}`,
      ),
    )
    return {
      valid: true,
      name: scheme.name,
      version: scheme.version,
      hash: scheme.hash,
      tiers: scheme.tiers.map((t) => t.id),
      reads: compiled.inputs.map((i) => i.name),
    }
  }
}
