// The locales editors may write localized content in, managed in Settings › Locales and listed to
// sites at GET /api/i18n/locales (Strapi's i18n shape). The default locale is `en` for now: it is
// where requests without ?locale= read and write, and it cannot be removed.
import type { Knex } from 'knex';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { SchemaSource } from '../schema/model.js';
import { SYSTEM_COLUMNS } from '../schema/naming.js';
import { DEFAULT_LOCALE, LOCALE_FORMAT } from './locales.js';

export interface Locale {
  id: number;
  code: string;
  name: string;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

interface LocaleRow {
  id: number | string;
  code: string;
  name: string;
  created_at: number | string;
  updated_at: number | string;
}

const TABLE = 'folio_locales';
/** How long an instance trusts its list of codes: another instance's change shows within this. */
const CODES_TTL_MS = 2000;

function toLocale(row: LocaleRow): Locale {
  return {
    id: Number(row.id),
    code: row.code,
    name: row.name,
    isDefault: row.code === DEFAULT_LOCALE,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

export class LocaleService {
  private codes?: { set: Set<string>; at: number };

  constructor(private readonly db: Knex, private readonly schema: SchemaSource) {}

  /** The default locale first, then the others by code. */
  async list(): Promise<Locale[]> {
    const rows: LocaleRow[] = await this.db(TABLE).orderBy('code');
    return rows.map(toLocale).sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  }

  async get(id: number): Promise<Locale> {
    const row: LocaleRow | undefined = await this.db(TABLE).where('id', id).first();
    if (!row) throw new NotFoundError(`No locale with id ${id}`);
    return toLocale(row);
  }

  async create(input: { code: string; name?: string }): Promise<Locale> {
    const code = input.code.trim();
    if (!LOCALE_FORMAT.test(code)) {
      throw ValidationError.fromErrors([{ path: ['code'], message: 'A locale code is a language code and optional subtags, like fr or pt-BR', name: 'ValidationError' }]);
    }
    if (await this.db(TABLE).where('code', code).first('id')) {
      throw ValidationError.fromErrors([{ path: ['code'], message: `The locale ${code} already exists`, name: 'ValidationError' }]);
    }
    const now = Date.now();
    const [id] = await this.db(TABLE).insert({ code, name: input.name?.trim() || code, created_at: now, updated_at: now });
    this.codes = undefined;
    return this.get(Number(id));
  }

  async rename(id: number, name: string): Promise<Locale> {
    await this.get(id);
    await this.db(TABLE).where('id', id).update({ name, updated_at: Date.now() });
    return this.get(id);
  }

  /** Removes a locale no entry is written in (the default one stays). */
  async delete(id: number): Promise<Locale> {
    const locale = await this.get(id);
    if (locale.isDefault) throw new ValidationError(`${locale.code} is the default locale and cannot be removed`);
    const inUse: string[] = [];
    for (const type of (await this.schema.current()).contentTypes.values()) {
      if (!type.localized) continue;
      const [{ n }] = (await this.db(type.table).where(SYSTEM_COLUMNS.locale, locale.code).countDistinct({ n: SYSTEM_COLUMNS.documentId })) as Array<{ n: number | string }>;
      if (Number(n) > 0) inUse.push(`${n} ${type.displayName}`);
    }
    if (inUse.length) {
      throw new ConflictError(`Entries are written in ${locale.code} (${inUse.join(', ')}): delete those versions first`, { inUse });
    }
    await this.db(TABLE).where('id', id).delete();
    this.codes = undefined;
    return locale;
  }

  /** Refuses a write in a locale that is not configured (a typo would otherwise start a new locale). */
  async assertWritable(code: string): Promise<void> {
    if (!this.codes || Date.now() - this.codes.at > CODES_TTL_MS) {
      this.codes = { set: new Set((await this.db(TABLE).pluck('code')) as string[]), at: Date.now() };
    }
    if (!this.codes.set.has(code)) {
      throw ValidationError.query(`The locale "${code}" is not configured (Settings › Locales)`, 'locale', 'locale');
    }
  }
}
