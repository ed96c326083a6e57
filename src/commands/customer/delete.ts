import {Flags} from '@oclif/core'
import {customerIdArg} from '../../flags.js'
import {BaseCommand} from '../../base-command.js'
import {say} from '../../core/messages.js'
import {instantForPeople} from '../../core/dates.js'
import {deleteCustomer, type DeleteOutcome} from '../../services/edits.js'

export type CustomerDeleteResult = DeleteOutcome & {readonly customer_id: string}

export default class CustomerDelete extends BaseCommand<typeof CustomerDelete, CustomerDeleteResult> {
  static override summary = 'Delete a customer: it leaves every list and count, and its id is never used again.'
  static override description =
    'Refused while the customer has contacts or tier results (classification history), naming how many, unless ' +
    '--force. The row stays as a tombstone: old classification runs keep their counts, and an import of the same ' +
    'customer_id is rejected. Deleting a deleted customer says so and changes nothing.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> C100140903',
    '<%= config.bin %> <%= command.id %> C100140903 --force --json',
  ]
  static override args = {
    id: customerIdArg(),
  }
  static override flags = {
    force: Flags.boolean({summary: 'Delete it even though it has contacts or tier results.'}),
  }

  async run(): Promise<CustomerDeleteResult> {
    const {args, flags} = this
    const outcome = deleteCustomer(this.db(), args.id, flags.force, {actor: this.actor, command: this.commandLine})
    if (outcome.deleted)
      this.log(
        say(this.lang, 'customerDeletedNow', {id: args.id, contacts: outcome.contacts, results: outcome.tier_results}),
      )
    else
      this.log(
        say(this.lang, 'customerAlreadyDeleted', {
          id: args.id,
          at: instantForPeople(outcome.deleted_at),
          actor: outcome.deleted_by,
        }),
      )
    return {customer_id: args.id, ...outcome}
  }
}
