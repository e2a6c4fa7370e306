import { styleText } from 'node:util';
import { formatRows, type RunLabel, sqlIsolationName, type TraceEvent } from '@concurrency-lab/anomalies';
import { TERMINAL_WIDTH, wrapText } from './wrap-text.ts';

/** The heading printed when a walk-through starts one permutation at one level. */
export const stepLogHeading = ({ spec, level, permutation }: RunLabel): string => {
  const which = spec.permutations.length > 1 ? `, permutation ${permutation.name}` : '';
  return styleText('bold', `\n${spec.id} · ${spec.name} · ${sqlIsolationName(level)}${which}`);
};

const answer = (event: Extract<TraceEvent, { type: 'completed' }>): string => {
  const { outcome } = event;
  const released = event.after ? ` (released by ${event.after})` : '';
  if (outcome.type === 'error') return `✗ ${outcome.sqlstate} ${outcome.message}${released}`;
  const rows = outcome.commands.at(-1) === 'SELECT' ? ` ${formatRows(outcome.rows)}` : '';
  return `✓ ${outcome.commands.join(', ')}${rows}${released}`;
};

/**
 * Formats the events of one run for a classroom: each step as it is sent, then what the server
 * answered, aligned under it, so that blocking and out-of-order completion are easy to follow.
 */
export const stepLogFor = ({ spec }: RunLabel): ((event: TraceEvent) => string) => {
  const sessionWidth = Math.max(...spec.sessions.map((session) => session.name.length));
  const stepWidth = Math.max(
    ...spec.sessions.flatMap((session) => session.steps.map((step) => step.name.length)),
  );
  const label = (session: string, step: string) =>
    `  ${session.padEnd(sessionWidth)}  ${step.padEnd(stepWidth)}  `;
  const under = ' '.repeat(label('', '').length);
  const lines = (first: string, text: string) => wrapText(text, TERMINAL_WIDTH, first, under).join('\n');
  return (event) => {
    switch (event.type) {
      case 'sent':
        return lines(label(event.session, event.step), event.sql.replace(/\s+/g, ' '));
      case 'blocked':
        return lines(under, `… blocked: waits for ${event.by.join(' and ')}`);
      case 'queued':
        return lines(
          label(event.session, event.step),
          `waits its turn: ${event.session} is still in ${event.behind}`,
        );
      case 'completed':
        // A step that was blocked finishes later, among other steps: name it again.
        return lines(event.after ? label(event.session, event.step) : under, answer(event));
    }
  };
};
