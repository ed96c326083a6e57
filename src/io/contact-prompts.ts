import {CHANNEL_LABEL, CHANNELS, type Channel, PURPOSE_LABEL, type Purpose, PURPOSES} from '../core/contact.js'
import {readChannel, readFollowUp, readPurpose} from '../core/contact-input.js'
import {ExitCode, flagValue, UserError} from '../errors.js'
import {askText, type Choice, searchChoice, selectChoice} from './prompts.js'
import type {Lang} from './terminal.js'
import {en, localize, say} from '../core/messages.js'

function missing(flag: string, what: string): never {
  throw new UserError(en('missingFlag', {flag, what}), ExitCode.Usage, en('missingFlagHint', {flag}))
}

/**
 * The questions of contact log: each takes its flag's value and asks on a terminal only when it is missing (a
 * usage error without one). `prompted` says whether anything was asked, so the command can confirm.
 */
export function contactQuestions(interactive: boolean, lang: Lang) {
  let prompted = false
  const ask = <T>(flag: string, what: string, question: () => Promise<T>): Promise<T> => {
    if (!interactive) missing(flag, what)
    prompted = true
    return question()
  }
  return {
    get prompted() {
      return prompted
    },
    customer: async (flag: string | undefined, find: (text: string) => Choice[]): Promise<string> =>
      flag ?? ask('customer', en('customerNumber'), () => searchChoice(say(lang, 'promptCustomer'), find)),
    channel: async (flag: string | undefined): Promise<Channel> =>
      flag === undefined
        ? ask(
            'channel',
            en('oneOf', {values: CHANNELS.join(', ')}),
            async () =>
              (await selectChoice(
                say(lang, 'promptChannel'),
                CHANNELS.map((c) => ({value: c, name: say(lang, 'choice', {value: c, label: CHANNEL_LABEL[c].zh})})),
              )) as Channel,
          )
        : flagValue('channel', readChannel(flag)),
    purpose: async (flag: string | undefined): Promise<Purpose> =>
      flag === undefined
        ? ask(
            'purpose',
            en('oneOf', {values: PURPOSES.join(', ')}),
            async () =>
              (await selectChoice(
                say(lang, 'promptPurpose'),
                PURPOSES.map((p) => ({value: p, name: say(lang, 'choice', {value: p, label: PURPOSE_LABEL[p].zh})})),
              )) as Purpose,
          )
        : flagValue('purpose', readPurpose(flag)),
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
