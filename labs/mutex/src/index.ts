export { mutexLab } from './mutex-lab.ts';
