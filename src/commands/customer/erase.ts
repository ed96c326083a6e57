import {customerIdArg} from '../../flags.js'
import {BaseCommand} from '../../base-command.js'
import {say} from '../../core/messages.js'
import {instantForPeople} from '../../core/dates.js'
import {eraseCustomer, type EraseOutcome} from '../../services/edits.js'

export type CustomerEraseResult = EraseOutcome & {readonly customer_id: string}

export default class CustomerErase extends BaseCommand<typeof CustomerErase, CustomerEraseResult> {
  static override summary = "Erase a customer's personal data (the right to deletion), keeping its ids and amounts."
  static override description =
    'Blanks the name, ID number, phone, e-mail, birth date and kept columns, the notes and outcomes of its ' +
    'contacts, the personal values quoted in its tier reasons, and the copies of them in the audit log and the undo ' +
    'journal; an import undo never brings them back. The customer is deleted too (if it was not). The audit log ' +
    'records who erased what and when, without the values. Erasing twice is fine and says so.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> C100140903',
    '<%= config.bin %> <%= command.id %> C100140903 --json',
  ]
  static override args = {
    id: customerIdArg(),
  }

  async run(): Promise<CustomerEraseResult> {
    const {args} = this
    const outcome = eraseCustomer(this.db(), args.id, {actor: this.actor, command: this.commandLine}, () =>
      this.warn(say(this.lang, 'eraseRewriting', {id: args.id})),
    )
    this.log(
      outcome.again
        ? say(this.lang, 'customerErasedAgain', {id: args.id, at: instantForPeople(outcome.erased_at)})
        : say(this.lang, 'customerErasedNow', {
            id: args.id,
            fields: outcome.fields.join(', '),
            contacts: outcome.contacts,
            entries: outcome.audit_entries,
            journal: outcome.journal_rows,
            results: outcome.tier_reasons,
          }),
    )
    return {customer_id: args.id, ...outcome}
  }
}
