// "Used by": the entries linking a file, named and linked to their edit pages — only those the
// signed-in role may read (the server filters them); the others are counted, not named.
import { useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { useResourceDefinitions, useTranslate } from 'react-admin';
import { Alert, Box, Link, List, ListItem, ListItemText, Typography } from '@mui/material';
import { fileUsage, type FileUse } from './api';

/** The edit page of an entry, when the dashboard has its type's resource. */
function useEntryPath(): (use: FileUse) => string | undefined {
  const resources = useResourceDefinitions();
  return (use) => {
    if (use.kind === 'singleType') {
      const name = `single-types/${use.uid}`;
      return resources[name] ? `/${name}${use.locale ? `?locale=${encodeURIComponent(use.locale)}` : ''}` : undefined;
    }
    if (!resources[`content/${use.uid}`]) return undefined;
    const path = `/content/${use.uid}/${encodeURIComponent(use.documentId)}`;
    return use.locale ? `${path}?locale=${encodeURIComponent(use.locale)}` : path;
  };
}

export function UsedBy({ fileId }: { fileId: number }) {
  const translate = useTranslate();
  const pathOf = useEntryPath();
  const [usage, setUsage] = useState<{ entries: FileUse[]; hidden: number } | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    fileUsage(fileId).then(
      (found) => live && setUsage(found),
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [fileId]);

  return (
    <Box component="section" aria-labelledby={`used-by-${fileId}`} sx={{ mt: 2 }}>
      <Typography id={`used-by-${fileId}`} variant="subtitle2">
        {translate('folio.media.used_by.title')}
      </Typography>
      {error ? <Alert severity="error">{error}</Alert> : null}
      {!usage && !error ? (
        <Typography variant="body2" color="text.secondary">
          {translate('folio.media.used_by.loading')}
        </Typography>
      ) : null}
      {usage && usage.entries.length === 0 && usage.hidden === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('folio.media.used_by.none')}
        </Typography>
      ) : null}
      {usage?.entries.length ? (
        <List dense disablePadding>
          {usage.entries.map((use) => {
            const title = use.label ?? use.documentId;
            const to = pathOf(use);
            return (
              <ListItem key={`${use.uid}/${use.documentId}/${use.locale ?? ''}`} disableGutters>
                <ListItemText
                  primary={
                    <>
                      {`${use.displayName} · `}
                      {to ? (
                        <Link component={RouterLink} to={to} underline="hover">
                          {title}
                        </Link>
                      ) : (
                        title
                      )}
                      {use.locale ? ` (${use.locale})` : ''}
                    </>
                  }
                  secondary={translate('folio.media.used_by.field', { fields: use.fields.join(', ') })}
                />
              </ListItem>
            );
          })}
        </List>
      ) : null}
      {usage?.hidden ? (
        <Typography variant="body2" color="text.secondary">
          {translate('folio.media.used_by.hidden', { smart_count: usage.hidden })}
        </Typography>
      ) : null}
    </Box>
  );
}
