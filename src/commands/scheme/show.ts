import {Args} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {visible} from '../../core/visible.js'
import {readScheme} from '../../io/scheme-file.js'
import type {Labels, Scheme} from '../../core/schemes/scheme.js'

type TierRecord = {
  readonly id: string
  readonly label: Labels
  readonly rule: string | null
  readonly cadence_days: number | null
  readonly description: string
}

/** The scheme as read, and its text; an optional extra's type keeps its ? (money?). */
export type SchemeShowResult = {
  readonly name: string
  readonly version: string
  readonly hash: string
  readonly title: Labels
  readonly description: string
  readonly source: string
  readonly applies_to: string | null
  readonly extras: Record<string, string>
  readonly define: Record<string, string>
  readonly tiers: TierRecord[]
  readonly text: Scheme['text']
}

export default class SchemeShow extends BaseCommand<typeof SchemeShow, SchemeShowResult> {
  static override summary = 'Print a scheme as a file to copy and edit, with its source.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> retail-aum',
    '<%= config.bin %> <%= command.id %> retail-aum > my-tiers.yaml',
  ]
  static override args = {
    scheme: Args.string({description: 'a built-in scheme name or a scheme file', required: true, ignoreStdin: true}),
  }

  async run(): Promise<SchemeShowResult> {
    const scheme = readScheme(this.args.scheme)
    // As written: an optional extra keeps its ? (money?).
    const extras = Object.fromEntries(
      Object.entries(scheme.extras).map(([k, t]) => [k, scheme.optionalExtras.includes(k) ? `${t}?` : t]),
    )
    if (!this.jsonEnabled())
      process.stdout.write(forPeople(scheme.text.endsWith('\n') ? scheme.text : `${scheme.text}\n`))
    return {
      name: scheme.name,
      version: scheme.version,
      hash: scheme.hash,
      title: scheme.title,
      description: scheme.description,
      source: scheme.source,
      applies_to: scheme.appliesTo,
      extras,
      define: Object.fromEntries(scheme.defines),
      tiers: scheme.tiers.map((t) => ({
        id: t.id,
        label: t.label,
        rule: t.rule,
        cadence_days: t.cadenceDays,
        description: t.description,
      })),
      text: scheme.text,
    }
  }
}

/**
 * The scheme's text for a terminal: its control characters (a colour, a clear screen, a bidi override) escaped with
 * visible(), its line breaks and tabs kept. Piped or redirected, it is a copy of the file, written as it is.
 */
function forPeople(text: string): string {
  if (!process.stdout.isTTY) return text
  return text
    .split(/\r?\n/)
    .map((line) => line.split('\t').map(visible).join('\t'))
    .join('\n')
}
