export { redlockLab } from './redlock-lab.ts';
export { refusalFromVotes } from './vote-count.ts';
