// A type's content history in its settings dialog (`options.revisions`, docs/schema.md): whether its
// entries keep a history, and how much of it when the installation's retention should not apply. A
// field left empty is the installation's setting; the server checks the bounds when the schema is saved.
import { useTranslate } from 'react-admin';
import { Checkbox, FormControlLabel, Stack, TextField } from '@mui/material';
import type { ContentTypeDefinition } from './model';

type RevisionsOption = NonNullable<ContentTypeDefinition['options']>['revisions'];

/** What the fields hold: numbers as typed, '' for "the installation's". */
export interface RetentionState {
  record: boolean;
  keep: string;
  maxAgeDays: string;
}

export function retentionState(option: RevisionsOption): RetentionState {
  if (option === false) return { record: false, keep: '', maxAgeDays: '' };
  return { record: true, keep: String(option?.keep ?? ''), maxAgeDays: String(option?.maxAgeDays ?? '') };
}

const WHOLE = /^\d+$/;

/** The fields that are not whole numbers (an i18n key per field). */
export function retentionErrors(state: RetentionState): Partial<Record<'keep' | 'maxAgeDays', string>> {
  const errors: Partial<Record<'keep' | 'maxAgeDays', string>> = {};
  for (const key of ['keep', 'maxAgeDays'] as const) {
    const value = state[key].trim();
    if (state.record && value && !WHOLE.test(value)) errors[key] = 'folio.retention.whole_number';
  }
  return errors;
}

/** The schema option for the state; undefined when the type follows the installation entirely. */
export function retentionOption(state: RetentionState): RevisionsOption {
  if (!state.record) return false;
  const option: Exclude<RevisionsOption, false | undefined> = {};
  if (state.keep.trim()) option.keep = Number(state.keep.trim());
  if (state.maxAgeDays.trim()) option.maxAgeDays = Number(state.maxAgeDays.trim());
  return Object.keys(option).length ? option : undefined;
}

interface Props {
  state: RetentionState;
  errors: Partial<Record<'keep' | 'maxAgeDays', string>>;
  onChange: (state: RetentionState) => void;
}

export function RetentionFields({ state, errors, onChange }: Props) {
  const translate = useTranslate();
  const number = (key: 'keep' | 'maxAgeDays', label: string) => (
    <TextField
      label={translate(label)}
      value={state[key]}
      onChange={(e) => onChange({ ...state, [key]: e.target.value })}
      error={Boolean(errors[key])}
      helperText={errors[key] ?? translate('folio.retention.default_help')}
      slotProps={{ htmlInput: { inputMode: 'numeric' } }}
      size="small"
      sx={{ flex: 1 }}
    />
  );
  return (
    <Stack spacing={1}>
      <FormControlLabel
        control={<Checkbox checked={state.record} onChange={(e) => onChange({ ...state, record: e.target.checked })} />}
        label={translate('folio.retention.record')}
      />
      {state.record ? (
        <Stack direction="row" spacing={2}>
          {number('keep', 'folio.retention.keep')}
          {number('maxAgeDays', 'folio.retention.max_age_days')}
        </Stack>
      ) : null}
    </Stack>
  );
}
