import {CHANNEL_LABEL, CHANNELS, type Channel, PURPOSE_LABEL, type Purpose, PURPOSES} from '../core/contact.js'
import {readChannel, readFollowUp, readPurpose} from '../core/contact-input.js'
import {ExitCode, flagValue, UserError} from '../errors.js'
import {askEditor, askText, editorFound, type Choice, searchChoice, selectChoice} from './prompts.js'
import type {Lang} from './terminal.js'
import {en, localize, say} from '../core/messages.js'
import {terminalSafe} from '../core/visible.js'

/** The flags contact log cannot do without, and what each wants. */
const REQUIRED = {
  customer: () => en('customerNumber'),
  channel: () => en('oneOf', {values: CHANNELS.join(', ')}),
  purpose: () => en('oneOf', {values: PURPOSES.join(', ')}),
} as const

/**
 * Without a terminal, the required flags that are missing: all of them named in one usage error (one alone with what
 * it wants), so that a script is fixed in one go.
 */
function refuseMissing(flags: {readonly [F in keyof typeof REQUIRED]?: string}): void {
  const missing = (Object.keys(REQUIRED) as (keyof typeof REQUIRED)[]).filter((f) => flags[f] === undefined)
  if (missing.length === 0) return
  if (missing.length === 1) {
    const [flag] = missing
    throw new UserError(
      en('missingFlag', {flag, what: REQUIRED[flag]()}),
      ExitCode.Usage,
      en('missingFlagHint', {flag}),
    )
  }
  const named = missing.map((f) => `--${f}`).join(', ')
  throw new UserError(en('missingFlags', {flags: named}), ExitCode.Usage, en('missingFlagsHint', {flags: named}))
}

/** A note typed line by line (an empty line ends it), or written in the user's editor; none when left empty. */
async function askNote(lang: Lang): Promise<string | undefined> {
  const editorName = process.env.VISUAL || process.env.EDITOR || 'vim'
  let how: string
  for (;;) {
    how = await selectChoice(say(lang, 'promptNote'), [
      {value: 'here', name: say(lang, 'noteHere')},
      {value: 'editor', name: say(lang, 'noteEditor', {editor: editorName})},
      {value: 'none', name: say(lang, 'noteNone')},
    ])
    if (how !== 'editor' || editorFound(editorName)) break
    // An editor that cannot start: one line saying so, and the choice again (f6).
    process.stderr.write(`${say(lang, 'editorNotFound', {editor: terminalSafe(editorName)})}\n`)
  }
  if (how === 'none') return undefined
  if (how === 'editor') {
    // An editor ends the file with a line end: not part of the note.
    const written = (await askEditor(say(lang, 'promptNote'))).replace(/\r?\n$/, '')
    return written.trim() === '' ? undefined : written
  }
  const lines: string[] = []
  for (;;) {
    const line = await askText(say(lang, 'promptNoteLine', {n: lines.length + 1}))
    if (line === '') break
    lines.push(line)
  }
  return lines.length === 0 ? undefined : lines.join('\n')
}

/**
 * The questions of contact log: each takes its flag's value and asks on a terminal only when it is missing (a
 * usage error without one, naming every missing flag). The optional values (direction, outcome, note, follow-up) are
 * asked only when something else was asked. `prompted` says whether anything was asked, so the command can confirm.
 */
export function contactQuestions(interactive: boolean, lang: Lang) {
  let prompted = false
  const ask = <T>(question: () => Promise<T>): Promise<T> => {
    prompted = true
    return question()
  }
  const optional = <T>(flag: T | undefined, question: () => Promise<T | undefined>): Promise<T | undefined> =>
    flag !== undefined || !prompted ? Promise.resolve(flag) : question()
  return {
    get prompted() {
      return prompted
    },
    /** Before anything is asked: without a terminal, every missing required flag is named at once. */
    refuseMissing: (flags: {customer?: string; channel?: string; purpose?: string}): void => {
      if (!interactive) refuseMissing(flags)
    },
    customer: async (flag: string | undefined, find: (text: string) => Choice[]): Promise<string> =>
      flag ?? ask(() => searchChoice(say(lang, 'promptCustomer'), find)),
    channel: async (flag: string | undefined): Promise<Channel> =>
      flag === undefined
        ? ask(
            async () =>
              (await selectChoice(
                say(lang, 'promptChannel'),
                CHANNELS.map((c) => ({value: c, name: say(lang, 'choice', {value: c, label: CHANNEL_LABEL[c].zh})})),
              )) as Channel,
          )
        : flagValue('channel', readChannel(flag)),
    direction: (flag: string | undefined): Promise<string | undefined> =>
      optional(flag, () =>
        selectChoice(say(lang, 'promptDirection'), [
          {value: 'out', name: say(lang, 'directionOut')},
          {value: 'in', name: say(lang, 'directionIn')},
        ]),
      ),
    purpose: async (flag: string | undefined): Promise<Purpose> =>
      flag === undefined
        ? ask(
            async () =>
              (await selectChoice(
                say(lang, 'promptPurpose'),
                PURPOSES.map((p) => ({value: p, name: say(lang, 'choice', {value: p, label: PURPOSE_LABEL[p].zh})})),
              )) as Purpose,
          )
        : flagValue('purpose', readPurpose(flag)),
    outcome: (flag: string | undefined): Promise<string | undefined> =>
      optional(flag, async () => {
        const answer = await askText(say(lang, 'promptOutcome'))
        return answer.trim() === '' ? undefined : answer
      }),
    note: (flag: string | undefined): Promise<string | undefined> => optional(flag, () => askNote(lang)),
    /** The follow-up date is optional: asked (and may be left empty) only when something else was asked. */
    followUp: async (flag: string | undefined, today: string): Promise<string | null> => {
      const followUpOn = flag === undefined ? null : flagValue('follow-up', readFollowUp(flag, today))
      if (followUpOn !== null || !prompted) return followUpOn
      const answer = await askText(say(lang, 'promptFollowUp'), (text) => {
        if (text.trim() === '') return true
        const date = readFollowUp(text, today)
        return typeof date === 'string' ? true : localize(date.error, lang)
      })
      return answer.trim() === '' ? null : (readFollowUp(answer, today) as string)
    },
  }
}
