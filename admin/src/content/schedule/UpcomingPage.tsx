// Upcoming: the scheduled publications due in the next days, grouped by day on the clock of the
// editor's time zone (picked here as in the Schedule dialog), each naming its entry with a link to
// it, and cancellable by those who may publish it. Only what the role may read is listed (the server
// filters). Loaded when first opened.
import { useEffect, useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Title, useDataProvider, useNotify, useTranslate, type RaRecord } from 'react-admin';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CircularProgress,
  Link,
  List,
  ListItem,
  ListItemText,
  Stack,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { collectionResource, contentType, singleResource } from '../schema';
import { ALL_LOCALES, cancelSchedule, upcomingSchedules, type Schedule } from './api';
import { useTimeZone } from './useTimeZone';
import { useScheduleWords } from './words';
import { ZonePicker } from './ZonePicker';
import { dayKey, formatDay, formatTime } from './zone';

const DAY_MS = 24 * 3_600_000;
const RANGES = [7, 30, 90] as const;
type Range = (typeof RANGES)[number];

/** documentId → the entry's name (its main field), per type. */
type Names = Map<string, string>;

/** The names of the scheduled entries: one request per collection type, not one per entry. */
function useEntryNames(schedules: Schedule[]): Names {
  const dataProvider = useDataProvider();
  const [names, setNames] = useState<Names>(new Map());
  useEffect(() => {
    let live = true;
    const byType = new Map<string, Set<string>>();
    for (const s of schedules) byType.set(s.uid, (byType.get(s.uid) ?? new Set()).add(s.documentId));
    void Promise.all(
      [...byType].map(async ([uid, ids]) => {
        const type = contentType(uid);
        if (!type || type.kind !== 'collectionType' || !type.mainField) return [];
        const field = type.mainField;
        try {
          const { data } = await dataProvider.getMany<RaRecord>(collectionResource(uid), { ids: [...ids] });
          return data.map((r): [string, string] => [String(r.id), String(r[field] ?? '')]);
        } catch {
          return []; // shown by documentId instead
        }
      }),
    ).then((lists) => {
      if (live) setNames(new Map(lists.flat().filter(([, name]) => name)));
    });
    return () => {
      live = false;
    };
  }, [schedules, dataProvider]);
  return names;
}

/** Where the entry is edited: its locale's page when the schedule is for one locale. */
function entryPath(schedule: Schedule): string {
  const type = contentType(schedule.uid);
  if (type?.kind === 'singleType') return `/${singleResource(schedule.uid)}`;
  const locale = schedule.locale && schedule.locale !== ALL_LOCALES ? `?locale=${schedule.locale}` : '';
  return `/${collectionResource(schedule.uid)}/${encodeURIComponent(schedule.documentId)}${locale}`;
}

/** A single type is named by its type; an entry whose name could not be read, by its documentId. */
function fallbackName(schedule: Schedule): string {
  const type = contentType(schedule.uid);
  return type?.kind === 'singleType' ? type.displayName : schedule.documentId;
}

function groupByDay(schedules: Schedule[], zone: string): [string, Schedule[]][] {
  const days = new Map<string, Schedule[]>();
  for (const s of schedules) {
    const key = dayKey(new Date(s.at), zone);
    days.set(key, [...(days.get(key) ?? []), s]);
  }
  return [...days]; // the server answers soonest first: the days come in order
}

function ScheduleItem({
  schedule,
  zone,
  name,
  onCancel,
}: {
  schedule: Schedule;
  zone: string;
  name: string;
  onCancel?: () => void;
}) {
  const translate = useTranslate();
  const words = useScheduleWords();
  const type = contentType(schedule.uid);
  return (
    <ListItem
      divider
      secondaryAction={
        onCancel ? (
          <Button size="small" onClick={onCancel}>
            {translate('folio.schedule.cancel')}
          </Button>
        ) : undefined
      }
    >
      <Typography variant="body2" sx={{ width: 64, flexShrink: 0, fontVariantNumeric: 'tabular-nums' }}>
        {formatTime(new Date(schedule.at), zone)}
      </Typography>
      <ListItemText
        primary={
          <Link component={RouterLink} to={entryPath(schedule)}>
            {name}
          </Link>
        }
        secondary={`${words(schedule)} · ${type?.displayName ?? schedule.uid}`}
      />
    </ListItem>
  );
}

export function UpcomingPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const [zone, setZone] = useTimeZone();
  const [range, setRange] = useState<Range>(30);
  const [schedules, setSchedules] = useState<Schedule[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const names = useEntryNames(schedules ?? []);

  useEffect(() => {
    const controller = new AbortController();
    const now = new Date();
    setError(null);
    upcomingSchedules(now, new Date(now.getTime() + range * DAY_MS), controller.signal).then(setSchedules, (err) => {
      if (!controller.signal.aborted) setError((err as Error).message);
    });
    return () => controller.abort();
  }, [range, version]);

  const days = useMemo(() => groupByDay(schedules ?? [], zone), [schedules, zone]);
  const cancel = async (schedule: Schedule) => {
    try {
      await cancelSchedule(schedule);
      notify(translate('folio.schedule.cancelled'), { type: 'success' });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    }
    setVersion((v) => v + 1);
  };

  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate('folio.upcoming.title')} />
      <Card>
        <CardContent>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' }, mb: 2 }}>
            <ToggleButtonGroup
              exclusive
              size="small"
              value={range}
              onChange={(_, value: Range | null) => value && setRange(value)}
              aria-label={translate('folio.upcoming.range')}
            >
              {RANGES.map((days) => (
                <ToggleButton key={days} value={days}>
                  {translate('folio.upcoming.next_days', { smart_count: days })}
                </ToggleButton>
              ))}
            </ToggleButtonGroup>
            <Box sx={{ flex: 1, maxWidth: 360 }}>
              <ZonePicker zone={zone} onChange={setZone} />
            </Box>
          </Stack>
          {error ? <Alert severity="error">{error}</Alert> : null}
          {schedules === null && !error ? <CircularProgress size={24} /> : null}
          {schedules?.length === 0 ? (
            <Typography color="text.secondary">{translate('folio.upcoming.none')}</Typography>
          ) : null}
          {days.map(([key, items]) => (
            <Box key={key} component="section" aria-labelledby={`folio-day-${key}`} sx={{ mb: 2 }}>
              <Typography id={`folio-day-${key}`} variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
                {formatDay(new Date(items[0].at), zone)}
              </Typography>
              <List dense disablePadding>
                {items.map((schedule) => (
                  <ScheduleItem
                    key={schedule.id}
                    schedule={schedule}
                    zone={zone}
                    name={names.get(schedule.documentId) ?? fallbackName(schedule)}
                    onCancel={
                      contentType(schedule.uid)?.actions.includes('publish') ? () => void cancel(schedule) : undefined
                    }
                  />
                ))}
              </List>
            </Box>
          ))}
        </CardContent>
      </Card>
    </Box>
  );
}
