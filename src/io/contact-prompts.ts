import {CHANNEL_LABEL, CHANNELS, type Channel, PURPOSE_LABEL, type Purpose, PURPOSES} from '../core/contact.js'
import {readChannel, readFollowUp, readPurpose} from '../core/contact-input.js'
import {ExitCode, flagValue, UserError} from '../errors.js'
import {askText, type Choice, searchChoice, selectChoice} from './prompts.js'
import type {Lang} from './terminal.js'

function missing(flag: string, what: string): never {
  throw new UserError(`--${flag} is required: ${what}`, ExitCode.Usage, `give --${flag}, or run on a terminal to be asked`)
}

/**
 * The questions of contact log: each takes its flag's value and asks on a terminal only when it is missing (a
 * usage error without one). `prompted` says whether anything was asked, so the command can confirm.
 */
export function contactQuestions(interactive: boolean, lang: Lang) {
  const zh = lang === 'zh'
  let prompted = false
  const ask = <T>(flag: string, what: string, question: () => Promise<T>): Promise<T> => {
    if (!interactive) missing(flag, what)
    prompted = true
    return question()
  }
  return {
    get prompted() { return prompted },
    customer: async (flag: string | undefined, find: (text: string) => Choice[]): Promise<string> => flag ??
      ask('customer', 'the customer number (customer_id)', () => searchChoice(zh ? '客户（输入客户号或姓名）' : 'Customer (type an id or part of a name)', find)),
    channel: async (flag: string | undefined): Promise<Channel> => flag === undefined
      ? ask('channel', `one of ${CHANNELS.join(', ')}`, async () =>
        (await selectChoice(zh ? '渠道' : 'Channel', CHANNELS.map((c) => ({value: c, name: `${c} (${CHANNEL_LABEL[c].zh})`})))) as Channel)
      : flagValue('channel', readChannel(flag)),
    purpose: async (flag: string | undefined): Promise<Purpose> => flag === undefined
      ? ask('purpose', `one of ${PURPOSES.join(', ')}`, async () =>
        (await selectChoice(zh ? '目的' : 'Purpose', PURPOSES.map((p) => ({value: p, name: `${p} (${PURPOSE_LABEL[p].zh})`})))) as Purpose)
      : flagValue('purpose', readPurpose(flag)),
    /** The follow-up date is optional: asked (and may be left empty) only when something else was asked. */
    followUp: async (flag: string | undefined, today: string): Promise<string | null> => {
      const followUpOn = flag === undefined ? null : flagValue('follow-up', readFollowUp(flag, today))
      if (followUpOn !== null || !prompted) return followUpOn
      const answer = await askText(zh ? '下次跟进日期（可留空）' : 'Follow up on (date, or leave empty)', (text) => {
        if (text.trim() === '') return true
        const date = readFollowUp(text, today)
        return typeof date === 'string' ? true : date.error
      })
      return answer.trim() === '' ? null : (readFollowUp(answer, today) as string)
    },
  }
}
