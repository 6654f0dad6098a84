import { describe, expect, it } from 'vitest';
import { defaultLoadedPolicy, GateEnvironment } from '../policy/index.js';
import { readCalendars } from './fact-readers.js';
import type { PolicySource } from './protected-policy.js';

/** A protected policy source whose files are the given texts. */
function sourceOf(files: Record<string, string>): PolicySource {
  return {
    loaded: defaultLoadedPolicy(),
    origin: { kind: 'protected-ref', ref: 'refs/remotes/origin/main', commit: 'a'.repeat(40) },
    readFile: async (path) => Buffer.from(files[path] ?? ''),
  };
}

describe('readCalendars', () => {
  const at = new Date('2026-05-08T10:00:00Z');

  it("reports the shared calendar's errors under the gate's own codes", async () => {
    await expect(
      readCalendars(
        sourceOf({ 'holidays.ics': 'not a calendar' }),
        GateEnvironment.parse({ holidayCalendars: ['holidays.ics'] }),
        at,
      ),
    ).rejects.toMatchObject({ code: 'GATE_CALENDAR_INVALID', location: { path: 'holidays.ics' } });
    await expect(
      readCalendars(sourceOf({}), GateEnvironment.parse({ timeZone: 'Mars/Olympus_Mons' }), at),
    ).rejects.toMatchObject({ code: 'GATE_INVALID_TIME_ZONE' });
  });

  it('reads a holiday calendar around the decision time', async () => {
    const calendar = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      'BEGIN:VEVENT',
      'UID:h1',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;VALUE=DATE:20260508',
      'DTEND;VALUE=DATE:20260509',
      'SUMMARY:Early May bank holiday',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const fact = await readCalendars(
      sourceOf({ 'holidays.ics': calendar }),
      GateEnvironment.parse({ holidayCalendars: ['holidays.ics'] }),
      at,
    );
    expect(fact.holidays.map((holiday) => holiday.summary)).toEqual(['Early May bank holiday']);
  });
});
