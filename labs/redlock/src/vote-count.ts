import type { LockRefusal } from '@concurrency-lab/locks';
import { type ExecutionStats, ResourceLockedError } from './redlock-package.ts';

/**
 * Why a Redlock attempt failed, from its votes. The redlock package throws the same error for both
 * cases; its stats tell them apart. A node that voted against because another client's lock is on
 * it answered; a node that timed out or refused the connection did not. When the nodes that
 * answered could have formed a quorum, the lock was refused by contention (`lock_unavailable`);
 * when they could not, no client could have had it (`quorum_unavailable`).
 */
export const refusalFromVotes = (stats: ExecutionStats, urlOf: (client: unknown) => string): LockRefusal => {
  const silent = [...stats.votesAgainst].filter(([, error]) => !(error instanceof ResourceLockedError));
  const held = stats.votesAgainst.size - silent.length;
  const answered = stats.votesFor.size + held;
  const tally = `${stats.votesFor.size} for, ${held} held by another client, ${silent.length} not answering; quorum ${stats.quorumSize} of ${stats.membershipSize}`;
  if (answered >= stats.quorumSize) return { reason: 'lock_unavailable', message: tally };
  const down = silent.map(([client, error]) => `${urlOf(client)}: ${error.message}`).join('; ');
  return { reason: 'quorum_unavailable', message: `${tally} (${down})` };
};
