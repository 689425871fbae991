// Publishes the selected entries of a list; each is published on its own, and those that cannot be
// (a required field missing in the draft) are named in the message.
import { useState } from 'react';
import { Button, useListContext, useNotify, useRefresh, useTranslate } from 'react-admin';
import PublishIcon from '@mui/icons-material/Publish';
import { bulkPublish } from '../data';
import type { ContentTypeInfo } from '../schema';

export function BulkPublishButton({ type }: { type: ContentTypeInfo }) {
  const { selectedIds, onUnselectItems } = useListContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const translate = useTranslate();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const result = await bulkPublish(type.uid, selectedIds.map(String));
      if (result.failed.length)
        notify(
          translate('folio.lists.published_some', {
            count: result.count,
            failed: result.failed.length,
            message: result.failed[0].message,
          }),
          { type: 'warning' },
        );
      else notify(translate('folio.lists.published_count', { count: result.count }), { type: 'success' });
      onUnselectItems();
      refresh();
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button label={translate('folio.lists.publish_selected')} onClick={() => void run()} disabled={busy}>
      <PublishIcon />
    </Button>
  );
}
