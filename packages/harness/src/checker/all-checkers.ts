import { conservationChecker } from './conservation-checker.ts';
import { historyChecker } from './history-checker.ts';
import { ledgerChecker } from './ledger-checker.ts';
import { outcomeChecker } from './outcome-checker.ts';
import { stateChecker } from './state-checker.ts';
import { composeCheckers } from './verdict.ts';
import { writeSkewChecker } from './write-skew-checker.ts';

/** Every checker: what `lab run`, the server's /check and the conformance suite judge a run by. */
export const allCheckers = composeCheckers(
  stateChecker,
  conservationChecker,
  ledgerChecker,
  outcomeChecker,
  historyChecker,
  writeSkewChecker,
);
