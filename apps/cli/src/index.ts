export { createProgram } from './program.ts';
export { renderRunReport, runResultJson, verdictLine } from './render/run-report.ts';
export { textTable } from './render/text-table.ts';
