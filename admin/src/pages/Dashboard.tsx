// Home: who is signed in, where the Content API is, and whether the server and database are well.
// (Recent edits, my drafts and counts per type arrive with the content manager's Admin API.)
import { useEffect, useState } from 'react';
import { Title, useGetIdentity, useNotify, useTranslate } from 'react-admin';
import { Box, Button, Card, CardContent, Chip, Stack, Typography } from '@mui/material';
import ApiIcon from '@mui/icons-material/Api';
import StorageIcon from '@mui/icons-material/Storage';
import PersonIcon from '@mui/icons-material/Person';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';

interface Health {
  status: 'ok' | 'unavailable';
  database: { dialect: 'sqlite' | 'mysql'; status: 'up' | 'down'; latencyMs?: number };
  uptimeSeconds: number;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
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
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2 }}>
        <InfoCard icon={<ApiIcon />} title={translate('folio.dashboard.api_title')}>
          <Typography variant="body2" color="text.secondary" gutterBottom>
            {translate('folio.dashboard.api_text')}
          </Typography>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <Typography component="code" sx={{ fontFamily: 'monospace', fontSize: 14, wordBreak: 'break-all' }}>
              {apiUrl}
            </Typography>
            <Button size="small" startIcon={<ContentCopyIcon fontSize="small" />} onClick={copy}>
              {translate('folio.dashboard.copy')}
            </Button>
          </Stack>
        </InfoCard>
        <InfoCard icon={<StorageIcon />} title={translate('folio.dashboard.status_title')}>
          {health === undefined ? (
            <Typography variant="body2">{translate('folio.dashboard.status_unknown')}</Typography>
          ) : health && health.status === 'ok' ? (
            <>
              <Chip label="Healthy" color="success" size="small" sx={{ mb: 1 }} />
              <Typography variant="body2">
                {translate('folio.dashboard.status_ok', {
                  dialect: health.database.dialect === 'sqlite' ? 'SQLite' : 'MySQL',
                  latency: health.database.latencyMs ?? 0,
                })}
              </Typography>
              <Typography variant="body2" color="text.secondary">
                {translate('folio.dashboard.uptime', { duration: duration(health.uptimeSeconds) })}
              </Typography>
            </>
          ) : (
            <>
              <Chip label="Unavailable" color="error" size="small" sx={{ mb: 1 }} />
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
