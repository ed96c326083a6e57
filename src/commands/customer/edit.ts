import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {customerIdArg, revealFlag} from '../../flags.js'
import {say} from '../../core/messages.js'
import {changesText} from '../../io/edit-views.js'
import {editCustomer, type EditOutcome} from '../../services/edits.js'

export type CustomerEditResult = EditOutcome & {readonly customer_id: string}

export default class CustomerEdit extends BaseCommand<typeof CustomerEdit, CustomerEditResult> {
  static override summary = "Change a customer's fields, checked as an import checks them, with the old values audited."
  static override description =
    'Each --set field=value is checked exactly as customer import checks that column (a field may be named as an ' +
    'import header names it); an empty value clears the field. The audit log keeps the old and new values, and the ' +
    'undo journal the old ones. Setting the values a customer has already changes nothing (exit 0). Personal data ' +
    'in the output is masked unless --reveal.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> C100140903 --set rm=RM0042',
    '<%= config.bin %> <%= command.id %> C100140903 --set rm=RM0042 --set branch=浦东支行 --json',
  ]
  static override args = {
    id: customerIdArg(),
  }
  static override flags = {
    set: Flags.string({summary: 'A field and its new value: field=value (repeatable).', multiple: true, default: []}),
    reveal: revealFlag('Show the old and new values of personal fields unmasked'),
  }

  async run(): Promise<CustomerEditResult> {
    const {args, flags} = this
    const who = {actor: this.actor, command: this.commandLine}
    if (flags.reveal) this.auditReveal(true, 'customer.reveal', {customer_id: args.id})?.count(1)
    const outcome = editCustomer(this.db(), args.id, flags.set, who, flags.reveal)
    this.log(
      outcome.changed
        ? changesText(this.lang, {key: 'customerEdited', id: args.id}, outcome.changes)
        : say(this.lang, 'customerUnchanged', {id: args.id}),
    )
    return {customer_id: args.id, ...outcome}
  }
}
