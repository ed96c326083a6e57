import {BaseCommand, type Streamed} from '../../base-command.js'
import {BUILTIN_SCHEMES} from '../../core/schemes/builtin/index.js'
import {loadScheme} from '../../core/schemes/scheme.js'
import {say} from '../../core/messages.js'

type SchemeRecord = {
  readonly name: string
  readonly version: string
  readonly title: string
  readonly tiers: string[]
}

/** Under --json: each built-in scheme, its title in the chosen language and its tier ids. */
export type SchemeListResult = Streamed<SchemeRecord[]>

export default class SchemeList extends BaseCommand<typeof SchemeList, SchemeListResult> {
  static override summary = 'List the built-in classification schemes.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --lang zh']

  async run(): Promise<SchemeListResult> {
    const schemes = Object.entries(BUILTIN_SCHEMES).map(([name, text]) => loadScheme(text, name))
    const records = schemes.map((s) => ({
      name: s.name,
      version: s.version,
      title: s.title[this.lang],
      tiers: s.tiers.map((t) => t.id),
    }))
    // JSON keeps the tiers as a list, as it did; CSV and TSV as one cell of ids.
    const json = this.jsonEnabled() || this.format === 'json' || this.format === 'ndjson'
    await this.printRows(records, {
      keys: ['name', 'version', 'title', 'tiers'],
      record: (r) => (json ? r : {...r, tiers: r.tiers.join(' ')}),
      columns: [
        {header: say(this.lang, 'headScheme'), cell: (r) => r.name},
        {header: say(this.lang, 'headVersion'), cell: (r) => r.version},
        {header: say(this.lang, 'headTitle'), cell: (r) => r.title},
        {header: say(this.lang, 'headTiers'), cell: (r) => r.tiers.join(' ')},
      ],
    })
  }
}
