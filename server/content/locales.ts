// Locales of localized content types. Non-localized types store locale '' (one version per status).
import { ValidationError } from '../errors.js';
import type { ContentTypeModel } from '../schema/model.js';

/** The default locale of a new installation (Settings › Locales can make another one the default). */
export const DEFAULT_LOCALE = 'en';

/** What non-localized types store in the `locale` column. */
export const NO_LOCALE = '';

/** BCP 47-ish: a language, then optional subtags (en, pt-BR, zh-Hant-TW). */
export const LOCALE_FORMAT = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/**
 * What a request may name as a locale (`?locale=`, a body's `locale`): case and `_` variants of the
 * format are let through the syntax check here; LOCALE_FORMAT then decides what is stored.
 */
export const LOCALE_PARAM_FORMAT = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/;

/**
 * The locale a write or read of `type` uses (`defaultLocale` when none is asked for); a locale asked
 * of a non-localized type is ignored.
 */
export function resolveLocale(type: ContentTypeModel, locale: string | undefined, defaultLocale: string): string {
  if (!type.localized) return NO_LOCALE;
  if (locale === undefined || locale === '') return defaultLocale;
  if (!LOCALE_FORMAT.test(locale)) throw ValidationError.query(`Invalid locale "${locale}"`, 'locale', 'locale');
  return locale;
}
