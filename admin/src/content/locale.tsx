// The locale being edited, kept in the URL (?locale=fr) so that it survives reloads and links, and
// the switcher between a document's locales (or to start one in another configured locale).
import { useRecordContext, useTranslate } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import { Autocomplete, TextField } from '@mui/material';
import type { ContentTypeInfo } from './schema';

export function useLocale(type: ContentTypeInfo): [string | undefined, (locale: string) => void] {
  const [params, setParams] = useSearchParams();
  const locale = type.localized ? (params.get('locale') ?? undefined) : undefined;
  return [locale, (next) => setParams(next === (type.locales?.[0] ?? 'en') ? {} : { locale: next })];
}

/** Switches between the document's locales, or starts one in another configured locale (Settings › Locales). */
export function LocaleSwitcher({ type }: { type: ContentTypeInfo }) {
  const record = useRecordContext();
  const translate = useTranslate();
  const [locale, setLocale] = useLocale(type);
  if (!type.localized) return null;
  const current = locale ?? type.locales?.[0] ?? 'en';
  const existing = (record?.__locales as string[] | undefined) ?? [];
  const options = [...new Set([...(type.locales ?? []), ...existing, current])];
  return (
    <Autocomplete
      autoHighlight
      disableClearable
      size="small"
      options={options}
      value={current}
      fullWidth
      getOptionLabel={(o) =>
        existing.includes(o) || !record ? o : translate('folio.content.panel.new_locale', { locale: o })
      }
      onChange={(_, value) => {
        if (value) setLocale(value);
      }}
      renderInput={(params) => <TextField {...params} label={translate('folio.content.panel.locale')} />}
    />
  );
}
