import {BaseCommand} from '../../base-command.js'
import {customerIdArg, revealFlag} from '../../flags.js'
import {customerRecord, type CustomerRecord} from '../../core/customer.js'
import {customerRepository} from '../../db/repositories/customers.js'
import {customerDetail} from '../../io/customer-views.js'
import {contactRecord, type ContactRecord, recentContactsText} from '../../io/contact-views.js'
import {contactRepository} from '../../db/repositories/contacts.js'
import {classificationRepository} from '../../db/repositories/classifications.js'
import {customerTiersText, customerTierRecord, type CustomerTierRecord} from '../../io/classify-views.js'

const RECENT_CONTACTS = 3

export type CustomerShowResult = CustomerRecord & {
  readonly tiers: CustomerTierRecord[]
  readonly recent_contacts: ContactRecord[]
}

export default class CustomerShow extends BaseCommand<typeof CustomerShow, CustomerShowResult> {
  static override summary = 'Show one customer: every field and the extra columns kept from imports.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> C100140903',
    '<%= config.bin %> <%= command.id %> C100140903 --lang zh',
    '<%= config.bin %> <%= command.id %> C100140903 --json --reveal',
  ]
  static override args = {
    id: customerIdArg(),
  }
  static override flags = {
    reveal: revealFlag(
      'Show ID numbers, phones, e-mail, birth dates, the values in tier reasons and personal data in contact ' +
        'notes unmasked',
    ),
  }

  async run(): Promise<CustomerShowResult> {
    const {args, flags} = this
    const customers = customerRepository(this.db())
    const customer = customers.findOrFail(args.id)
    const audit = this.auditReveal(flags.reveal, 'customer.reveal', {customer_id: args.id})
    const options = {reveal: flags.reveal}
    const recent = contactRepository(this.db()).list({customerId: args.id, limit: RECENT_CONTACTS})
    const tiers = classificationRepository(this.db()).customerTiers(args.id)
    if (!this.jsonEnabled())
      this.log(
        [
          customerDetail(customer, this.lang, options, this.chalk),
          customerTiersText(tiers, this.lang, flags.reveal),
          recentContactsText(recent, this.lang, options),
        ].join('\n'),
      )
    audit?.count(1)
    return {
      ...customerRecord(customer, options),
      tiers: tiers.map((t) => customerTierRecord(t, flags.reveal)),
      recent_contacts: recent.map((c) => contactRecord(c, options)),
    }
  }
}
