// The locales editors may write localized content in, managed in Settings › Locales and listed to
// sites at GET /api/i18n/locales (Strapi's i18n shape). One of them is the default locale (`en` on a
// new installation): where requests without ?locale= read and write. It cannot be removed; another
// locale can be made the default instead.
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
  is_default: boolean | number;
  created_at: number | string;
  updated_at: number | string;
}

const TABLE = 'folio_locales';

/**
 * The default locale as stored (`db` may be a transaction). Hot paths ask LocaleService.defaultCode(),
 * which keeps it for a moment.
 */
export async function readDefaultLocale(db: Knex): Promise<string> {
  const row = await db(TABLE).where('is_default', true).first<{ code: string } | undefined>('code');
  return row?.code ?? DEFAULT_LOCALE;
}

/** How long an instance trusts its list of codes: another instance's change shows within this. */
const CODES_TTL_MS = 2000;

function toLocale(row: LocaleRow): Locale {
  return {
    id: Number(row.id),
    code: row.code,
    name: row.name,
    isDefault: Boolean(row.is_default),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

export class LocaleService {
  /** The configured codes and the default one, as this instance last read them (see `snapshot`). */
  private known?: { codes: Set<string>; defaultCode: string; at: number };

  constructor(
    private readonly db: Knex,
    private readonly schema: SchemaSource,
  ) {}

  /** The default locale first, then the others by code. */
  async list(): Promise<Locale[]> {
    const rows = await this.db(TABLE).select<LocaleRow[]>('*').orderBy('code');
    return rows.map(toLocale).sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  }

  async get(id: number): Promise<Locale> {
    const row = await this.db(TABLE).where('id', id).first<LocaleRow | undefined>();
    if (!row) throw new NotFoundError(`No locale with id ${id}`);
    return toLocale(row);
  }

  /**
   * The locale reads and writes use when a request names none. Kept for CODES_TTL_MS: every public
   * read asks. `forget()` drops it at once (a change here, or one announced by another instance).
   */
  async defaultCode(): Promise<string> {
    return (await this.snapshot()).defaultCode;
  }

  forget(): void {
    this.known = undefined;
  }

  /** One read of the table serves both questions every request asks, for CODES_TTL_MS. */
  private async snapshot(): Promise<{ codes: Set<string>; defaultCode: string }> {
    if (!this.known || Date.now() - this.known.at > CODES_TTL_MS) {
      const rows = await this.db(TABLE).select<Array<Pick<LocaleRow, 'code' | 'is_default'>>>('code', 'is_default');
      this.known = {
        codes: new Set(rows.map((r) => r.code)),
        defaultCode: rows.find((r) => Boolean(r.is_default))?.code ?? DEFAULT_LOCALE,
        at: Date.now(),
      };
    }
    return this.known;
  }

  /** Makes this locale the default one (and no other). */
  async makeDefault(id: number): Promise<Locale> {
    await this.get(id);
    await this.db.transaction(async (trx) => {
      await trx(TABLE)
        .whereNot('id', id)
        .where('is_default', true)
        .update({ is_default: false, updated_at: Date.now() });
      await trx(TABLE).where('id', id).update({ is_default: true, updated_at: Date.now() });
    });
    this.forget();
    return this.get(id);
  }

  async create(input: { code: string; name?: string }): Promise<Locale> {
    const code = input.code.trim();
    if (!LOCALE_FORMAT.test(code)) {
      throw ValidationError.fromErrors([
        {
          path: ['code'],
          message: 'A locale code is a language code and optional subtags, like fr or pt-BR',
          name: 'ValidationError',
        },
      ]);
    }
    if (await this.db(TABLE).where('code', code).first('id')) {
      throw ValidationError.fromErrors([
        { path: ['code'], message: `The locale ${code} already exists`, name: 'ValidationError' },
      ]);
    }
    const now = Date.now();
    const [id] = await this.db(TABLE).insert({
      code,
      name: input.name?.trim() || code,
      is_default: false,
      created_at: now,
      updated_at: now,
    });
    this.forget();
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
      const [{ n }] = await this.db(type.table)
        .where(SYSTEM_COLUMNS.locale, locale.code)
        .countDistinct<Array<{ n: number | string }>>({ n: SYSTEM_COLUMNS.documentId });
      if (Number(n) > 0) inUse.push(`${n} ${type.displayName}`);
    }
    if (inUse.length) {
      throw new ConflictError(
        `Entries are written in ${locale.code} (${inUse.join(', ')}): delete those versions first`,
        { inUse },
      );
    }
    await this.db(TABLE).where('id', id).delete();
    this.forget();
    return locale;
  }

  /** Refuses a write in a locale that is not configured (a typo would otherwise start a new locale). */
  async assertWritable(code: string): Promise<void> {
    if (!(await this.snapshot()).codes.has(code)) {
      throw ValidationError.query(`The locale "${code}" is not configured (Settings › Locales)`, 'locale', 'locale');
    }
  }
}
