// "When": a date and time on the clock of a time zone the editor picks (theirs by default, remembered
// for them), and the instant they name. Shared by the Schedule dialog and a release's schedule, so
// that an entry and a release are timed the same way.
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import { TextField } from '@mui/material';
import { useTimeZone } from './useTimeZone';
import { ZonePicker } from './ZonePicker';
import { formatDateTime, instantToWallTime, isoInZone, tomorrowAt, wallTimeToInstant, type WallTime } from './zone';

/** The hour proposed tomorrow when nothing is scheduled yet: a morning edition. */
const PROPOSED_HOUR = 7;

export interface When {
  zone: string;
  setZone: (zone: string) => void;
  wall: WallTime;
  setWall: (wall: WallTime) => void;
  /** The instant chosen, when it is one and lies ahead. */
  instant: Date | undefined;
  /** Why there is none: no date and time, or one in the past. */
  error: string | undefined;
  /** The instant with the zone's offset, as the Admin API takes it; undefined while `error`. */
  iso: string | undefined;
}

/** The chosen time: `initial` (a schedule being moved) on the editor's clock, else tomorrow at 07:00. */
export function useWhen(initial?: Date): When {
  const translate = useTranslate();
  const [zone, setZone] = useTimeZone();
  const [wall, setWall] = useState<WallTime>(() =>
    initial ? instantToWallTime(initial, zone) : tomorrowAt(PROPOSED_HOUR, zone),
  );
  const named = wallTimeToInstant(wall, zone);
  const future = named !== undefined && named.getTime() > Date.now();
  const error = !named
    ? translate('folio.schedule.when_missing')
    : !future
      ? translate('folio.schedule.when_past')
      : undefined;
  const instant = error ? undefined : named;
  return { zone, setZone, wall, setWall, instant, error, iso: instant ? isoInZone(instant, zone) : undefined };
}

/** The date-and-time input (saying the instant in UTC) and the time-zone picker. */
export function WhenFields({ when }: { when: When }) {
  const translate = useTranslate();
  const named = wallTimeToInstant(when.wall, when.zone);
  return (
    <>
      <TextField
        type="datetime-local"
        label={translate('folio.schedule.when')}
        value={when.wall}
        onChange={(e) => when.setWall(e.target.value)}
        error={when.error !== undefined}
        helperText={
          when.error ?? (named ? translate('folio.schedule.utc', { time: formatDateTime(named, 'UTC') }) : '')
        }
        slotProps={{ inputLabel: { shrink: true } }}
      />
      <ZonePicker zone={when.zone} onChange={when.setZone} />
    </>
  );
}
