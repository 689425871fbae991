// The releases not published yet that hold the entry on screen (side panel): each with its status and
// what it will do to which locale, linked to its page. Hidden from roles that may not read releases.
import { useEffect } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { useCanAccess, useTranslate } from 'react-admin';
import { Link, Stack, Typography } from '@mui/material';
import type { DocumentRelease } from '../../../server/content/releases/store.js';
import { useAdminApi } from '../useAdminApi';
import { releasePath } from './paths';
import { ReleaseStatusChip } from './ReleaseStatusChip';

export function EntryReleases(props: { uid: string; documentId: string; round: number }) {
  const mayRead = useCanAccess({ resource: 'releases', action: 'read' }).canAccess === true;
  return mayRead ? <EntryReleaseList {...props} /> : null;
}

function EntryReleaseList({ uid, documentId, round }: { uid: string; documentId: string; round: number }) {
  const translate = useTranslate();
  const { data, reload } = useAdminApi<DocumentRelease[]>(
    `/releases/of/${encodeURIComponent(uid)}/${encodeURIComponent(documentId)}`,
  );
  // `round` goes up when the entry was just added to a release: ask again.
  useEffect(() => {
    if (round > 0) reload();
  }, [round, reload]);
  if (!data?.length) return null;
  return (
    <Stack spacing={0.5} aria-label={translate('folio.releases.in_releases')} role="list">
      <Typography variant="caption" color="text.secondary">
        {translate('folio.releases.in_releases')}
      </Typography>
      {data.map(({ release, actions }) => (
        <Stack key={release.id} role="listitem" direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <Link component={RouterLink} to={releasePath(release.id)} variant="body2">
            {release.name}
          </Link>
          <ReleaseStatusChip status={release.status} />
          <Typography variant="caption" color="text.secondary">
            {actions
              .map(
                (a) =>
                  translate(`folio.schedule.action_${a.action}`) + (a.locale ? ` (${a.locale.toUpperCase()})` : ''),
              )
              .join(', ')}
          </Typography>
        </Stack>
      ))}
    </Stack>
  );
}
