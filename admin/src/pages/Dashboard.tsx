// Home: what there is (entries per content type), what changed lately, the signed-in user's
// unpublished drafts — all from GET /admin-api/home, which counts only what the role may read —
// then where the Content API is and whether the server and database are well.
import { useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Title, useGetIdentity, useNotify, useResourceDefinitions, useTranslate } from 'react-admin';
import {
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Link,
  List,
  ListItem,
  ListItemText,
  Stack,
  Typography,
} from '@mui/material';
import ArticleIcon from '@mui/icons-material/Article';
import HistoryIcon from '@mui/icons-material/History';
import EditNoteIcon from '@mui/icons-material/EditNote';
import { useAdminApi } from '../useAdminApi';
import ApiIcon from '@mui/icons-material/Api';
import StorageIcon from '@mui/icons-material/Storage';
import PersonIcon from '@mui/icons-material/Person';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';

interface Health {
  status: 'ok' | 'unavailable';
  database: { dialect: 'sqlite' | 'mysql'; status: 'up' | 'down'; latencyMs?: number };
  uptimeSeconds: number;
}

/** "3 h 12 min": the two largest units of a duration. */
function duration(seconds: number, translate: ReturnType<typeof useTranslate>): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (seconds < 60) return translate('folio.dashboard.duration.seconds', { s: seconds });
  if (seconds < 3600) return translate('folio.dashboard.duration.minutes', { m });
  if (seconds < 86400) return translate('folio.dashboard.duration.hours', { h, m });
  return translate('folio.dashboard.duration.days', { d, h });
}

function useHealth(): Health | null | undefined {
  const [health, setHealth] = useState<Health | null | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    fetch('/_health', { signal: controller.signal })
      .then((res) => res.json() as Promise<Health>)
      .then(setHealth, () => !controller.signal.aborted && setHealth(null));
    return () => controller.abort();
  }, []);
  return health;
}

interface HomeCount {
  uid: string;
  displayName: string;
  kind: 'collectionType' | 'singleType';
  total: number;
  published: number;
}

interface HomeEntry {
  uid: string;
  displayName: string;
  documentId: string;
  label: string | null;
  locale: string | null;
  updatedAt: string;
  updatedBy: { id: number; name: string } | null;
  published: boolean;
}

interface HomeData {
  counts: HomeCount[];
  recent: HomeEntry[];
  myDrafts: HomeEntry[];
}

/** "5 min ago", "yesterday"… in the browser's language. */
function ago(iso: string): string {
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 30],
    ['month', 12],
    ['year', Infinity],
  ];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return format.format(Math.round(value), unit);
    value /= size;
  }
  return new Date(iso).toLocaleDateString();
}

/**
 * Where the content manager shows a type or an entry (its resources `content/<uid>` and
 * `single-types/<uid>`), when the dashboard has it; undefined otherwise (shown as plain text).
 */
function useContentPaths(counts: HomeCount[]) {
  const resources = useResourceDefinitions();
  const kinds = new Map(counts.map((c) => [c.uid, c.kind]));
  return {
    list(uid: string): string | undefined {
      const name = kinds.get(uid) === 'singleType' ? `single-types/${uid}` : `content/${uid}`;
      return resources[name] ? `/${name}` : undefined;
    },
    entry(entry: HomeEntry): string | undefined {
      if (kinds.get(entry.uid) === 'singleType')
        return resources[`single-types/${entry.uid}`] ? `/single-types/${entry.uid}` : undefined;
      return resources[`content/${entry.uid}`]
        ? `/content/${entry.uid}/${encodeURIComponent(entry.documentId)}`
        : undefined;
    },
  };
}

function MaybeLink({ to, children }: { to?: string; children: React.ReactNode }) {
  return to ? (
    <Link component={RouterLink} to={to} underline="hover">
      {children}
    </Link>
  ) : (
    <>{children}</>
  );
}

function EntryList({
  entries,
  empty,
  paths,
  label,
}: {
  entries: HomeEntry[];
  empty: string;
  paths: ReturnType<typeof useContentPaths>;
  label: string;
}) {
  const translate = useTranslate();
  if (entries.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {empty}
      </Typography>
    );
  }
  return (
    <List dense disablePadding aria-label={label}>
      {entries.map((e) => (
        <ListItem key={`${e.uid}/${e.documentId}/${e.locale ?? ''}`} disableGutters>
          <ListItemText
            primary={<MaybeLink to={paths.entry(e)}>{e.label ?? translate('folio.content.untitled')}</MaybeLink>}
            secondary={[
              e.displayName,
              e.locale,
              e.published ? null : translate('folio.dashboard.draft'),
              e.updatedBy
                ? translate('folio.dashboard.edited_by', { when: ago(e.updatedAt), name: e.updatedBy.name })
                : ago(e.updatedAt),
            ]
              .filter(Boolean)
              .join(' · ')}
          />
        </ListItem>
      ))}
    </List>
  );
}

/** How many of a type's entries are published, in words. */
function publishedSummary(count: HomeCount, translate: ReturnType<typeof useTranslate>): string {
  if (count.total !== count.published) {
    return translate('folio.dashboard.some_published', {
      published: count.published,
      unpublished: count.total - count.published,
    });
  }
  return translate(count.total ? 'folio.dashboard.all_published' : 'folio.dashboard.none_yet');
}

function ContentOverview() {
  const translate = useTranslate();
  const home = useAdminApi<HomeData>('/home');
  const paths = useContentPaths(home.data?.counts ?? []);
  if (home.error) return null; // Home still shows the rest; the API answers its own errors
  const data = home.data;
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, mb: 2 }}>
      <InfoCard icon={<ArticleIcon />} title={translate('folio.dashboard.entries_title')}>
        {!data ? (
          <Typography variant="body2">{translate('folio.dashboard.counting')}</Typography>
        ) : data.counts.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            {translate('folio.dashboard.no_types')}
          </Typography>
        ) : (
          <List dense disablePadding aria-label={translate('folio.dashboard.entries_list')}>
            {data.counts.map((c) => (
              <ListItem
                key={c.uid}
                disableGutters
                secondaryAction={
                  <Chip
                    size="small"
                    label={c.total}
                    aria-label={translate('folio.dashboard.entries_count', { smart_count: c.total })}
                  />
                }
              >
                <ListItemText
                  primary={<MaybeLink to={paths.list(c.uid)}>{c.displayName}</MaybeLink>}
                  secondary={publishedSummary(c, translate)}
                />
              </ListItem>
            ))}
          </List>
        )}
      </InfoCard>
      <EntriesCard
        icon={<HistoryIcon />}
        title={translate('folio.dashboard.recent_title')}
        empty={translate('folio.dashboard.nothing_edited')}
        entries={data?.recent}
        paths={paths}
      />
      <EntriesCard
        icon={<EditNoteIcon />}
        title={translate('folio.dashboard.drafts_title')}
        empty={translate('folio.dashboard.no_drafts')}
        entries={data?.myDrafts}
        paths={paths}
      />
    </Box>
  );
}

/** A card listing entries (recent edits, my drafts), titled and labelled alike; loading until they come. */
function EntriesCard({
  icon,
  title,
  empty,
  entries,
  paths,
}: {
  icon: React.ReactNode;
  title: string;
  empty: string;
  entries: HomeEntry[] | undefined;
  paths: ReturnType<typeof useContentPaths>;
}) {
  const translate = useTranslate();
  return (
    <InfoCard icon={icon} title={title}>
      {entries ? (
        <EntryList entries={entries} empty={empty} paths={paths} label={title} />
      ) : (
        <Typography variant="body2">{translate('folio.dashboard.loading')}</Typography>
      )}
    </InfoCard>
  );
}

function InfoCard({ icon, title, children }: { icon: React.ReactNode; title: string; children: React.ReactNode }) {
  return (
    <Card sx={{ flex: '1 1 280px', minWidth: 0 }} component="section" aria-label={title}>
      <CardContent>
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 1.5 }}>
          <Box sx={{ color: 'primary.main', display: 'flex' }}>{icon}</Box>
          <Typography variant="h6" component="h2">
            {title}
          </Typography>
        </Stack>
        {children}
      </CardContent>
    </Card>
  );
}

export function Dashboard() {
  const translate = useTranslate();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  const health = useHealth();
  const apiUrl = `${window.location.origin}/api`;

  const copy = async () => {
    await navigator.clipboard?.writeText(apiUrl);
    notify('folio.dashboard.copied', { type: 'info' });
  };

  return (
    <Box sx={{ py: 2 }}>
      <Title title={translate('folio.dashboard.title')} />
      <Typography variant="h5" component="h1" gutterBottom>
        {translate('folio.dashboard.greeting', { name: identity?.fullName ?? '' })}
      </Typography>
      <Typography variant="body1" color="text.secondary" sx={{ mb: 3, maxWidth: 720 }}>
        {translate('folio.dashboard.intro')}
      </Typography>
      <ContentOverview />
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2 }}>
        <InfoCard icon={<ApiIcon />} title={translate('folio.dashboard.api_title')}>
          <Typography variant="body2" color="text.secondary" gutterBottom>
            {translate('folio.dashboard.api_text')}
          </Typography>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <Typography component="code" sx={{ fontFamily: 'monospace', fontSize: 14, wordBreak: 'break-all' }}>
              {apiUrl}
            </Typography>
            <Button size="small" startIcon={<ContentCopyIcon fontSize="small" />} onClick={() => void copy()}>
              {translate('folio.dashboard.copy')}
            </Button>
          </Stack>
        </InfoCard>
        <InfoCard icon={<StorageIcon />} title={translate('folio.dashboard.status_title')}>
          {health === undefined ? (
            <Typography variant="body2">{translate('folio.dashboard.status_unknown')}</Typography>
          ) : health && health.status === 'ok' ? (
            <>
              <Chip label={translate('folio.dashboard.healthy')} color="success" size="small" sx={{ mb: 1 }} />
              <Typography variant="body2">
                {translate('folio.dashboard.status_ok', {
                  dialect: health.database.dialect === 'sqlite' ? 'SQLite' : 'MySQL',
                  latency: health.database.latencyMs ?? 0,
                })}
              </Typography>
              <Typography variant="body2" color="text.secondary">
                {translate('folio.dashboard.uptime', { duration: duration(health.uptimeSeconds, translate) })}
              </Typography>
            </>
          ) : (
            <>
              <Chip label={translate('folio.dashboard.unavailable')} color="error" size="small" sx={{ mb: 1 }} />
              <Typography variant="body2">{translate('folio.dashboard.status_down')}</Typography>
            </>
          )}
        </InfoCard>
        <InfoCard icon={<PersonIcon />} title={translate('folio.dashboard.account_title')}>
          <Typography variant="body1">{identity?.fullName}</Typography>
          <Typography variant="body2" color="text.secondary">
            {typeof identity?.email === 'string' ? identity.email : ''}
          </Typography>
        </InfoCard>
      </Box>
    </Box>
  );
}
