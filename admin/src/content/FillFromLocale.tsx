// "Fill from another locale": on a localized type's entry, fills the form's localized fields with another
// locale's version of the document (read through the Admin API, so the role's permissions apply), as
// unsaved changes the editor checks and saves. Asks first when the form already has values.
import { useState } from 'react';
import { Confirm, useNotify, useRecordContext, useTranslate } from 'react-admin';
import { useFormContext } from 'react-hook-form';
import { Button, Menu, MenuItem } from '@mui/material';
import TranslateIcon from '@mui/icons-material/Translate';
import { localeValues } from './data';
import type { ContentTypeInfo } from './schema';

function hasValue(value: unknown): boolean {
  return !(value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0));
}

/** The locales the document may be filled from: those it has (else the configured ones), but this one. */
function sourceLocales(type: ContentTypeInfo, locales: unknown, current: string): string[] {
  const known = Array.isArray(locales) ? locales.map(String) : (type.locales ?? []);
  return known.filter((l) => l !== current);
}

export function FillFromLocale({ type, locale }: { type: ContentTypeInfo; locale: string | undefined }) {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const { getValues, setValue } = useFormContext();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  const documentId = typeof record?.documentId === 'string' ? record.documentId : undefined;
  const current = (typeof record?.locale === 'string' ? record.locale : locale) ?? type.locales?.[0] ?? 'en';
  const options = sourceLocales(type, record?.__locales, current);
  if (!type.localized || !documentId || options.length === 0) return null;

  const fill = async (from: string) => {
    setAsking(null);
    try {
      const values = await localeValues(type, documentId, from);
      if (!values) {
        notify(translate('folio.fill_locale.missing', { locale: from }), { type: 'warning' });
        return;
      }
      for (const [name, value] of Object.entries(values)) setValue(name, value, { shouldDirty: true });
      notify(translate('folio.fill_locale.done', { locale: from }), { type: 'info' });
    } catch (err) {
      notify(translate('folio.fill_locale.failed', { locale: from, message: (err as Error).message }), {
        type: 'error',
      });
    }
  };
  const choose = (from: string) => {
    setAnchor(null);
    const filled = Object.keys(type.attributes).some((name) => hasValue(getValues(name)));
    if (filled) setAsking(from);
    else void fill(from);
  };
  return (
    <>
      <Button
        variant="text"
        size="small"
        startIcon={<TranslateIcon />}
        aria-haspopup="menu"
        onClick={(e) => setAnchor(e.currentTarget)}
      >
        {translate('folio.fill_locale.action')}
      </Button>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {options.map((l) => (
          <MenuItem key={l} onClick={() => choose(l)}>
            {translate('folio.fill_locale.choose', { locale: l })}
          </MenuItem>
        ))}
      </Menu>
      <Confirm
        isOpen={asking !== null}
        title={translate('folio.fill_locale.title', { locale: asking ?? '' })}
        content={translate('folio.fill_locale.confirm', { locale: asking ?? '' })}
        onConfirm={() => void fill(asking ?? '')}
        onClose={() => setAsking(null)}
      />
    </>
  );
}
