// Publish or unpublish, as the schedule and add-to-release dialogs ask it.
import { useTranslate } from 'react-admin';
import { FormControl, FormControlLabel, FormLabel, Radio, RadioGroup } from '@mui/material';

export type PublishAction = 'publish' | 'unpublish';

export function PublishActionChoice(props: { id: string; value: PublishAction; onChange: (a: PublishAction) => void }) {
  const translate = useTranslate();
  return (
    <FormControl>
      <FormLabel id={props.id}>{translate('folio.schedule.action')}</FormLabel>
      <RadioGroup
        row
        aria-labelledby={props.id}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as PublishAction)}
      >
        <FormControlLabel value="publish" control={<Radio />} label={translate('folio.schedule.publish')} />
        <FormControlLabel value="unpublish" control={<Radio />} label={translate('folio.schedule.unpublish')} />
      </RadioGroup>
    </FormControl>
  );
}
