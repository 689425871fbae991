// How a schedule is said to an editor: "Publish (fr)", "Unpublish (all locales)", at a time on the
// clock of the editor's zone.
import { useTranslate } from 'react-admin';
import { ALL_LOCALES, type Schedule } from './api';

export function useScheduleWords() {
  const translate = useTranslate();
  return (schedule: Pick<Schedule, 'action' | 'locale'>) => {
    const action = translate(`folio.schedule.action_${schedule.action}`, { _: schedule.action });
    if (schedule.locale === null) return action;
    const locale = schedule.locale === ALL_LOCALES ? translate('folio.schedule.all_locales') : schedule.locale;
    return translate('folio.schedule.action_in', { action, locale });
  };
}
