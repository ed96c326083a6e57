import {Flags} from '@oclif/core'
import {customerIdFlag} from '../../flags.js'
import {BaseCommand} from '../../base-command.js'
import {localDateTime} from '../../core/dates.js'
import {contactRepository} from '../../db/repositories/contacts.js'
import {answersFollowUps, type Contact} from '../../core/contact.js'
import {SEARCH_MAX_LENGTH} from '../../core/customer.js'
import {customerRepository} from '../../db/repositories/customers.js'
import {contactQuestions} from '../../io/contact-prompts.js'
import {customerChoice} from '../../io/customer-views.js'
import {contactText} from '../../io/contact-views.js'
import {askConfirm, canPrompt} from '../../io/prompts.js'
import {contactToLogLines, contactValues} from '../../services/contact-values.js'
import {say} from '../../core/messages.js'

/** The contact logged (or found logged before: created false), and the follow-ups it closed. */
export type ContactLogResult = {
  readonly id: number
  readonly created: boolean
  readonly closed_follow_ups: number
  readonly customer_id: string
  readonly at: string
  readonly utc_offset: Contact['utcOffset']
  readonly channel: Contact['channel']
  readonly direction: Contact['direction']
  readonly purpose: Contact['purpose']
  readonly outcome: string | null
  readonly rm: string | null
  readonly notes: string | null
  readonly follow_up_on: string | null
}

export default class ContactLog extends BaseCommand<typeof ContactLog, ContactLogResult | undefined> {
  static override createsDatabase = true
  static override summary = 'Log one contact with a customer (asks for what is missing on a terminal).'
  static override description =
    "The contact closes the customer's earlier open follow-ups that it answers (any later contact except an SMS " +
    'or e-mail we sent). On a terminal it asks for what is missing (direction, outcome and a note too: typed ' +
    'line by line or written in $EDITOR) and shows everything it will store before it asks to log it. With no ' +
    'terminal, the missing ones of --customer, --channel and --purpose are named together in one usage error (exit 2).'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',

    '<%= config.bin %> <%= command.id %> --customer C100140903 --channel phone --purpose review --note ' +
      '"Discussed the renewal" --follow-up 2026-12-01',

    '<%= config.bin %> <%= command.id %> --customer C100140903 --channel 微信 --purpose 营销 --direction in --at ' +
      '"2026-11-20 15:30" --json',
  ]
  static override flags = {
    customer: customerIdFlag('The customer number (customer_id).'),
    channel: Flags.string({
      summary:
        'branch, phone, wechat, sms, email, video, visit, online or event (Chinese names too: 电话, 微信, 网点, 上门 …).',
    }),
    direction: Flags.string({summary: 'in (the customer reached us) or out (default).'}),
    purpose: Flags.string({
      summary: 'service, marketing, review, complaint, collection, onboarding or other (服务, 营销, 回访 …).',
    }),
    outcome: Flags.string({summary: 'What came of it.'}),
    rm: Flags.string({summary: "Who made the contact (default: the customer's manager)."}),
    at: Flags.string({summary: 'When: 2026-11-20, 2026-11-20 15:30, 2026-11-20 15:30+08:00 … (default: now).'}),
    note: Flags.string({summary: 'Notes, kept exactly as written.'}),
    'follow-up': Flags.string({summary: 'The date to follow up on (today or later).'}),
  }

  async run(): Promise<ContactLogResult | undefined> {
    const {flags} = this
    const now = localDateTime(new Date())
    const db = this.db()
    const customers = customerRepository(db)
    const ask = contactQuestions(canPrompt(this.jsonEnabled()), this.lang)
    ask.refuseMissing(flags)
    const searched = new Set<string>()
    const customer = customers.findOrFail(
      await ask.customer(flags.customer, (text) => {
        // A whole ID number typed here is looked up as with --search, and audited once.
        const search = text.slice(0, SEARCH_MAX_LENGTH)
        if (!searched.has(search)) {
          searched.add(search)
          this.auditSearch({search})
        }
        return customers.list({search, limit: 15}).map(customerChoice)
      }),
    )
    const channel = await ask.channel(flags.channel)
    const direction = await ask.direction(flags.direction)
    const purpose = await ask.purpose(flags.purpose)
    const outcome = await ask.outcome(flags.outcome)
    const note = await ask.note(flags.note)
    const followUpOn = await ask.followUp(flags['follow-up'], now.slice(0, 10))
    const contact = contactValues(customer, {...flags, channel, direction, purpose, outcome, note, followUpOn}, now)
    if (ask.prompted) {
      process.stdout.write(`${contactToLogLines(customer, contact, this.lang).join('\n')}\n`)
      // Answering no is the user's choice, not a failure: nothing is written and the command succeeds.
      if (!(await askConfirm(say(this.lang, 'confirmLog')))) {
        this.log(say(this.lang, 'nothingLogged'))
        return undefined
      }
    }
    const result = contactRepository(db).log(
      contact,
      {actor: this.actor, command: this.commandLine},
      answersFollowUps(contact),
    )
    if (!this.jsonEnabled()) {
      if (result.created) this.log(say(this.lang, 'contactLogged', {id: result.id, customer: contact.customerId}))
      else this.log(say(this.lang, 'contactLoggedBefore', {id: result.id}))
      if (result.closed > 0)
        this.log(say(this.lang, result.closed === 1 ? 'followUpsClosedOne' : 'followUpsClosed', {count: result.closed}))
    }
    return {
      id: result.id,
      created: result.created,
      closed_follow_ups: result.closed,
      customer_id: contact.customerId,
      at: contact.at,
      utc_offset: result.utcOffset,
      channel: contact.channel,
      direction: contact.direction,
      purpose: contact.purpose,
      // As contact list shows them: personal data written in them masked (the contact is stored as given).
      outcome: contactText(contact.outcome, {reveal: false}),
      rm: contact.rm,
      notes: contactText(contact.notes, {reveal: false}),
      follow_up_on: contact.followUpOn,
    }
  }
}
