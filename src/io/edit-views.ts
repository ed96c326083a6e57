import {type Lang, type MessageKey, say} from '../core/messages.js'
import {visible} from '../core/visible.js'

/** What an edit changed, for people: a heading, then each field's old and new value (already masked as shown). */
export function changesText(
  lang: Lang,
  heading: {key: MessageKey; id: string | number},
  changes: readonly {field: string; old: string | null; new: string | null}[],
): string {
  const shown = (value: string | null) => (value === null || value === '' ? say(lang, 'noValue') : visible(value))
  return [
    say(lang, heading.key, {id: String(heading.id)}),
    ...changes.map((c) => say(lang, 'changeLine', {field: c.field, old: shown(c.old), new: shown(c.new)})),
  ].join('\n')
}
