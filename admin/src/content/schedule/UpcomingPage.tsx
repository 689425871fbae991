// Upcoming: the scheduled publications due in the next days — entries' schedules and scheduled
// releases — grouped by day on the clock of the editor's time zone (picked here as in the Schedule
// dialog), each naming its entry (or release) with a link to it, and cancellable by those who may
// publish it. Only what the role may read is listed (the server filters schedules; every admin reads
// releases). Loaded when first opened.
import { useEffect, useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Title, useNotify, useTranslate } from 'react-admin';
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
import { cancelReleaseSchedule, listReleases, type ReleaseSummary } from '../../releases/api';
import { releasePath } from '../../releases/paths';
import { entryKey, entryPath, fallbackName, useEntryNames } from '../entryNames';
import { contentType } from '../schema';
import { ALL_LOCALES, cancelSchedule, upcomingSchedules, type Schedule } from './api';
import { useTimeZone } from './useTimeZone';
import { useScheduleWords } from './words';
import { ZonePicker } from './ZonePicker';
import { dayKey, formatDay, formatTime } from './zone';

const DAY_MS = 24 * 3_600_000;
const RANGES = [7, 30, 90] as const;
type Range = (typeof RANGES)[number];

/** One line of the page: an entry's schedule, or a scheduled release. */
type Upcoming =
  { kind: 'schedule'; at: string; schedule: Schedule } | { kind: 'release'; at: string; release: ReleaseSummary };

/** Scheduled releases due in [from, to): the release list holds each one's time. */
function releasesDue(releases: ReleaseSummary[], from: Date, to: Date): ReleaseSummary[] {
  return releases.filter((r) => {
    const at = r.status === 'scheduled' && r.scheduledAt ? Date.parse(r.scheduledAt) : Number.NaN;
    return at >= from.getTime() && at < to.getTime();
  });
}

async function loadUpcoming(from: Date, to: Date, signal: AbortSignal): Promise<Upcoming[]> {
  const [schedules, releases] = await Promise.all([upcomingSchedules(from, to, signal), listReleases(signal)]);
  const items: Upcoming[] = [
    ...schedules.map((schedule): Upcoming => ({ kind: 'schedule', at: schedule.at, schedule })),
    ...releasesDue(releases, from, to).map((release): Upcoming => ({
      kind: 'release',
      at: release.scheduledAt!,
      release,
    })),
  ];
  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function groupByDay(items: Upcoming[], zone: string): [string, Upcoming[]][] {
  const days = new Map<string, Upcoming[]>();
  for (const item of items) {
    const key = dayKey(new Date(item.at), zone);
    days.set(key, [...(days.get(key) ?? []), item]);
  }
  return [...days]; // the items are sorted soonest first: the days come in order
}

function UpcomingItem({
  at,
  zone,
  link,
  name,
  detail,
  onCancel,
}: {
  at: string;
  zone: string;
  link: string;
  name: string;
  detail: string;
  onCancel?: () => void;
}) {
  const translate = useTranslate();
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
        {formatTime(new Date(at), zone)}
      </Typography>
      <ListItemText
        primary={
          <Link component={RouterLink} to={link}>
            {name}
          </Link>
        }
        secondary={detail}
      />
    </ListItem>
  );
}

export function UpcomingPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const words = useScheduleWords();
  const [zone, setZone] = useTimeZone();
  const [range, setRange] = useState<Range>(30);
  const [items, setItems] = useState<Upcoming[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const schedules = useMemo(
    () => (items ?? []).flatMap((item) => (item.kind === 'schedule' ? [item.schedule] : [])),
    [items],
  );
  const names = useEntryNames(schedules);

  useEffect(() => {
    const controller = new AbortController();
    const now = new Date();
    setError(null);
    loadUpcoming(now, new Date(now.getTime() + range * DAY_MS), controller.signal).then(setItems, (err) => {
      if (!controller.signal.aborted) setError((err as Error).message);
    });
    return () => controller.abort();
  }, [range, version]);

  const days = useMemo(() => groupByDay(items ?? [], zone), [items, zone]);
  const cancel = async (item: Upcoming) => {
    try {
      if (item.kind === 'schedule') await cancelSchedule(item.schedule);
      else await cancelReleaseSchedule(item.release.id);
      notify(translate('folio.schedule.cancelled'), { type: 'success' });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    }
    setVersion((v) => v + 1);
  };

  const line = (item: Upcoming) => {
    if (item.kind === 'release') {
      const { release } = item;
      return (
        <UpcomingItem
          key={`release-${release.id}`}
          at={item.at}
          zone={zone}
          link={releasePath(release.id)}
          name={release.name}
          detail={translate('folio.releases.upcoming_detail', { smart_count: release.actionCount })}
          onCancel={() => void cancel(item)}
        />
      );
    }
    const { schedule } = item;
    const type = contentType(schedule.uid);
    return (
      <UpcomingItem
        key={`schedule-${schedule.id}`}
        at={item.at}
        zone={zone}
        link={entryPath(schedule, schedule.locale === ALL_LOCALES ? null : schedule.locale)}
        name={names.get(entryKey(schedule)) ?? fallbackName(schedule)}
        detail={`${words(schedule)} · ${type?.displayName ?? schedule.uid}`}
        onCancel={type?.actions.includes('publish') ? () => void cancel(item) : undefined}
      />
    );
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
          {items === null && !error ? <CircularProgress size={24} /> : null}
          {items?.length === 0 ? (
            <Typography color="text.secondary">{translate('folio.upcoming.none')}</Typography>
          ) : null}
          {days.map(([key, dayItems]) => (
            <Box key={key} component="section" aria-labelledby={`folio-day-${key}`} sx={{ mb: 2 }}>
              <Typography id={`folio-day-${key}`} variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
                {formatDay(new Date(dayItems[0].at), zone)}
              </Typography>
              <List dense disablePadding>
                {dayItems.map(line)}
              </List>
            </Box>
          ))}
        </CardContent>
      </Card>
    </Box>
  );
}
