import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, parseSchedule, ScheduleError, scheduleText } from '../src/index.ts';

describe('parseSchedule', () => {
  it('reads tokens <client>:<action> separated by spaces or commas, in any case', () => {
    expect(parseSchedule('A:read, b:READ  A:write A:commit')).toEqual([
      { client: 'A', action: 'read' },
      { client: 'B', action: 'read' },
      { client: 'A', action: 'write' },
      { client: 'A', action: 'commit' },
    ]);
    expect(scheduleText(parseSchedule(DEFAULT_SCHEDULE))).toBe(DEFAULT_SCHEDULE);
    expect(parseSchedule('C:lock', 3)).toEqual([{ client: 'C', action: 'lock' }]);
  });

  it.each([
    ['A:read B:jump', /token 2, "B:jump": action "jump" is not one of lock, read, write, commit/],
    ['A:read C:read', /token 2, "C:read": client "C" is not one of A, B \(this scene has 2 clients\)/],
    ['A:read Bread', /token 2, "Bread": not <client>:<action>/],
    ['A:read:write', /token 1, "A:read:write": not <client>:<action>/],
    ['  , ', /the schedule is empty/],
  ])('refuses %j, naming the token and what is accepted', (text, message) => {
    expect(() => parseSchedule(text)).toThrow(ScheduleError);
    expect(() => parseSchedule(text)).toThrow(message);
    expect(() => parseSchedule(text)).toThrow(
      /a schedule is tokens <client>:<action> separated by spaces or commas/,
    );
  });
});
