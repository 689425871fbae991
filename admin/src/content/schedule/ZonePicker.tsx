// The time-zone picker: every IANA zone the browser knows, typed to filter ("Paris", "New_York").
import { useMemo } from 'react';
import { useTranslate } from 'react-admin';
import { Autocomplete, TextField } from '@mui/material';
import { timeZones } from './zone';

export function ZonePicker({ zone, onChange }: { zone: string; onChange: (zone: string) => void }) {
  const translate = useTranslate();
  const zones = useMemo(timeZones, []);
  return (
    <Autocomplete
      options={zones}
      value={zone}
      disableClearable
      autoHighlight
      onChange={(_, value) => onChange(value)}
      renderInput={(params) => <TextField {...params} label={translate('folio.schedule.time_zone')} />}
    />
  );
}
