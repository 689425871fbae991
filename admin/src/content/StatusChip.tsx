// A document's publication state, as a chip (lists, the edit page's side panel).
import { useRecordContext, useTranslate, type RaRecord } from 'react-admin';
import { Chip, Tooltip } from '@mui/material';

export type DocumentState = 'draft' | 'published' | 'modified';

const STATE_COLOR: Record<DocumentState, 'default' | 'success' | 'warning'> = {
  draft: 'default',
  published: 'success',
  modified: 'warning',
};

export function documentState(record: RaRecord | undefined): DocumentState {
  const state: unknown = record?.__status;
  return state === 'published' || state === 'modified' ? state : 'draft';
}

export function StatusChip({ record }: { record?: RaRecord }) {
  const context = useRecordContext();
  const translate = useTranslate();
  const state = documentState(record ?? context);
  const label = translate(`folio.content.status.${state}`);
  const variant = state === 'draft' ? 'outlined' : 'filled';
  const chip = <Chip size="small" label={label} color={STATE_COLOR[state]} variant={variant} />;
  // "Modified" means the draft has changes the published version does not show yet.
  if (state !== 'modified') return chip;
  return <Tooltip title={translate('folio.content.status.modified_hint')}>{chip}</Tooltip>;
}
