import { advisoryLockLab } from '@concurrency-lab/lab-advisory-lock';
import { checkConstraintLab } from '@concurrency-lab/lab-check-constraint';
import { mutexLab } from '@concurrency-lab/lab-mutex';
import { naiveLab } from '@concurrency-lab/lab-naive';
import { optimisticLab } from '@concurrency-lab/lab-optimistic';
import { pgTransactionLab } from '@concurrency-lab/lab-pg-transaction';
import { redisLockLab } from '@concurrency-lab/lab-redis-lock';
import { redisLuaLab } from '@concurrency-lab/lab-redis-lua';
import { redlockLab } from '@concurrency-lab/lab-redlock';
import { selectForUpdateLab } from '@concurrency-lab/lab-select-for-update';
import { updateReturningLab } from '@concurrency-lab/lab-update-returning';
import type { Lab } from '@concurrency-lab/model';

/** Every lab, in the order the comparison reads best: from no protection to distributed locks. */
export const LABS: readonly Lab[] = [
  naiveLab,
  mutexLab,
  pgTransactionLab,
  selectForUpdateLab,
  advisoryLockLab,
  optimisticLab,
  updateReturningLab,
  checkConstraintLab,
  redisLuaLab,
  redisLockLab,
  redlockLab,
];

export const labNamed = (name: string): Lab | undefined => LABS.find((lab) => lab.name === name);

export const labNames = (): string[] => LABS.map((lab) => lab.name);
