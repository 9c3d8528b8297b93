import {
  errors,
  type AccountOperation,
  type AccountOperationKind,
  type AccountOperationTicket,
} from '../../sdk/index.js';

/** How each operation is named in messages. */
export const LABEL: Record<AccountOperationKind, string> = {
  backup: 'a backup',
  restore: 'a restore',
  delete: 'a delete',
};

/** This process's ticket, which the shared claims may also stop (a claim that could not be renewed). */
export interface LocalTicket extends AccountOperationTicket {
  stop(reason: string): void;
}

/** The 409 a claim or file change meets, naming the operation and its job. */
export function busy(id: number, e: AccountOperation) {
  if (e.kind === 'delete') return errors.conflict(`Account ${id} is being deleted`);
  const job = e.jobId ? ` (job ${e.jobId})` : '';
  return errors.conflict(`Account ${id} has ${LABEL[e.kind]} running${job}; try again when it has finished`);
}

/** Throw the 409 a new claim meets among the operations registered on the account (here or on another node). */
export function refuse(id: number, kind: AccountOperationKind, registered: AccountOperation[]): void {
  for (const e of registered) {
    if (kind === 'delete' && e.kind === 'delete') throw errors.conflict(`Account ${id} is already being deleted`);
    if (e.kind === 'delete' || (kind === 'delete' && e.kind === 'restore')) throw busy(id, e);
  }
}
