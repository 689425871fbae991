// Encryption at rest (issue 22): `encrypted: true` attributes are stored as AES-256-GCM envelopes
// under a data key wrapped by FOLIO_ENCRYPTION_KEYS; readers allowed the field get the plaintext
// through /api and /admin-api, others nothing; no plaintext in the outbox or revisions; no filter,
// sort, index or unique on them; turning the option on or off and rotating keys rewrite the columns
// in batches, resuming after a crash. Both databases, in-process.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { exportArchive } from '../../server/backup/export.js';
import { importArchive } from '../../server/backup/import.js';
import { selectParts } from '../../server/backup/parts.js';
import { archivedRows } from '../helpers/backup.js';
import { RUN_DIR } from '../helpers/env.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SYSTEM_CALLER } from '../../server/access/caller.js';
import { createDocument } from '../../server/content/operations/create-document.js';
import { FieldCipher } from '../../server/encryption/cipher.js';
import { ENVELOPE_PREFIX, parseEnvelope } from '../../server/encryption/envelope.js';
import { parseKeyring } from '../../server/encryption/keyring.js';
import { rotateKeys } from '../../server/encryption/rotation.js';
import { TASKS_TABLE } from '../../server/encryption/rewrite.js';
import { executeStep } from '../../server/schema/apply.js';
import type { SchemaFile } from '../../server/schema/types.js';
import type { PermissionInput } from '../../server/access/service.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { tokenHttp, type Http } from '../helpers/callers.js';
import { describeEachDatabase, startTestFolio, testEnv, type TestFolio } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { loadConfig } from '../../server/config.js';
import { openFolio } from '../../server/folio.js';
import { silentLogger } from '../../server/logger.js';

const key = () => randomBytes(32).toString('base64');
const FIRST_KEYS = `k1:${key()}`;

const SSN = '123-45-6789';
const NOTES = 'Allergic to penicillin';
const PROFILE = { bloodType: 'O-', donor: true };

function patientSchema(encrypted = true): SchemaFile {
  return {
    contentTypes: {
      patient: {
        kind: 'collectionType',
        info: { singularName: 'patient', pluralName: 'patients', displayName: 'Patient' },
        attributes: {
          name: { type: 'string' },
          ssn: { type: 'string', encrypted },
          notes: { type: 'richtext', encrypted },
          profile: { type: 'json', encrypted },
          contact: { type: 'email', encrypted },
        },
      },
    },
  };
}

const memoSchema = (encrypted: boolean): SchemaFile => ({
  contentTypes: {
    memo: {
      kind: 'collectionType',
      info: { singularName: 'memo', pluralName: 'memos', displayName: 'Memo' },
      options: { draftAndPublish: false },
      attributes: { title: { type: 'string' }, body: { type: 'string', encrypted } },
    },
  },
});

/** Every value of a column, raw as the database holds it. */
async function rawColumn(t: TestFolio, table: string, column: string): Promise<unknown[]> {
  return (await t.db(table).orderBy('id').pluck(column)) as unknown[];
}

class Crash extends Error {}

describeEachDatabase(
  'encryption at rest',
  (t) => {
    let editor: AdminSession;
    let nameOnly: AdminSession;
    let api: Http;
    let patient: string;

    beforeAll(async () => {
      await t().folio.schema.apply(patientSchema());
      editor = await signedIn(t(), ['editor']);
      const role = await t().folio.access.createRole({ name: 'Front desk' });
      const permissions: PermissionInput[] = [{ action: 'read', subject: 'patient', fields: ['name'] }];
      await t().folio.access.setPermissions(role.id, permissions);
      nameOnly = await signedIn(t(), [role.id]);
      api = await tokenHttp(t(), 'full-access');
      const res = await editor.post('/admin-api/content/patient', {
        name: 'Ada',
        ssn: SSN,
        notes: NOTES,
        profile: PROFILE,
        contact: 'ada@example.com',
      });
      expect([res.status, res.body.error]).toEqual([201, undefined]);
      patient = res.body.data.documentId as string;
      expect((await editor.post(`/admin-api/content/patient/${patient}/actions/publish`)).status).toBe(200);
    });

    it('stores only envelopes in the columns: no plaintext in the database', async () => {
      const rows: Array<Record<string, unknown>> = await t()
        .db('patients')
        .select('ssn', 'notes', 'profile', 'contact');
      expect(rows.length).toBe(2); // the draft and the published version
      for (const row of rows) {
        for (const value of Object.values(row)) {
          expect(String(value).startsWith(ENVELOPE_PREFIX)).toBe(true);
          expect(parseEnvelope(value)).toBeDefined();
        }
        const text = JSON.stringify(row);
        for (const secret of [SSN, NOTES, 'bloodType', 'ada@example.com']) expect(text).not.toContain(secret);
      }
    });

    it('gives the plaintext to a reader of the field through /admin-api', async () => {
      const res = await editor.get(`/admin-api/content/patient/${patient}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ name: 'Ada', ssn: SSN, notes: NOTES, profile: PROFILE });
    });

    it('gives the plaintext to a reader of the field through /api (list and one)', async () => {
      const one = await api().get(`/api/patients/${patient}`);
      expect(one.status).toBe(200);
      expect(one.body.data).toMatchObject({ ssn: SSN, notes: NOTES, profile: PROFILE, contact: 'ada@example.com' });
      expect(one.headers['cache-control']).toBe('private, no-store');
      const list = await api().get('/api/patients');
      expect(list.body.data[0]).toMatchObject({ ssn: SSN });
    });

    it('gives nothing of an encrypted field to a caller without its read right', async () => {
      const res = await nameOnly.get(`/admin-api/content/patient/${patient}`);
      expect(res.status).toBe(200);
      expect(res.body.data.name).toBe('Ada');
      expect(res.body.data).not.toHaveProperty('ssn');
      const body = JSON.stringify(res.body);
      for (const secret of [SSN, NOTES, 'bloodType', ENVELOPE_PREFIX]) expect(body).not.toContain(secret);
      const listed = JSON.stringify((await nameOnly.get('/admin-api/content/patient')).body);
      for (const secret of [SSN, ENVELOPE_PREFIX]) expect(listed).not.toContain(secret);
    });

    it('answers 400 to a filter or a sort on an encrypted field, on both APIs', async () => {
      for (const path of [
        `/api/patients?filters[ssn][$eq]=${SSN}`,
        '/api/patients?sort=ssn:asc',
        `/api/patients?filters[$or][0][notes][$contains]=x`,
      ]) {
        const res = await api().get(path);
        expect([path, res.status, res.body.error?.name]).toEqual([path, 400, 'ValidationError']);
        expect(res.body.error.message).toMatch(/encrypted/);
      }
      const admin = await editor.get(`/admin-api/content/patient?filters[ssn][$eq]=${SSN}`);
      expect(admin.status).toBe(400);
      // The search leaves encrypted fields out: it never matches on them.
      expect((await api().get(`/api/patients?_q=${SSN}`)).body.data).toEqual([]);
    });

    it('keeps plaintext (and ciphertext) out of the outbox, the webhook payloads and the revisions', async () => {
      const outbox = (await t().db('folio_outbox').pluck('payload')) as string[];
      expect(outbox.length).toBeGreaterThan(0);
      const revisions: Array<{ data: unknown }> = await t().db('folio_revisions').select('data');
      expect(revisions.length).toBeGreaterThan(0);
      for (const text of [...outbox, ...revisions.map((r) => JSON.stringify(r.data))]) {
        for (const secret of [SSN, NOTES, 'bloodType', 'ada@example.com', ENVELOPE_PREFIX])
          expect(text).not.toContain(secret);
      }
      expect(JSON.parse(outbox[0]).entry).toMatchObject({ name: 'Ada' });
    });

    it('refuses a role condition on an encrypted field (400) rather than comparing ciphertext', async () => {
      const role = await t().folio.access.createRole({ name: 'By SSN' });
      await t().folio.access.setPermissions(role.id, [
        { action: 'read', subject: 'patient', conditions: { query: { ssn: { $ne: SSN } } } },
      ]);
      const session = await signedIn(t(), [role.id]);
      const res = await session.get('/admin-api/content/patient');
      expect([res.status, res.body.error?.message]).toEqual([
        400,
        expect.stringMatching(/ssn" of patient is encrypted/),
      ]);
    });

    it('keeps an encrypted string within the 255 characters its plain column holds', async () => {
      const res = await api()
        .post('/api/patients')
        .send({ data: { name: 'Long', ssn: 'x'.repeat(256) } });
      expect([res.status, res.body.error?.message]).toEqual([400, expect.stringMatching(/at most 255 characters/)]);
    });

    it('does not echo encrypted fields in a Content API write answer', async () => {
      const res = await api()
        .post('/api/patients')
        .send({ data: { name: 'Bob', ssn: '999-00-1111' } });
      expect(res.status).toBe(201);
      expect(res.body.data.name).toBe('Bob');
      expect(res.body.data).not.toHaveProperty('ssn');
      const read = await api().get(`/api/patients/${res.body.data.documentId}`);
      expect(read.body.data.ssn).toBe('999-00-1111');
    });

    it('refuses to start without the key that wraps the data keys, naming what is missing', async () => {
      const start = (keys?: string) =>
        openFolio(loadConfig(testEnv(t().database.url, keys ? { FOLIO_ENCRYPTION_KEYS: keys } : {})), {
          logger: silentLogger(),
          db: t().db,
        });
      await expect(start()).rejects.toThrow(
        /the schema has encrypted attributes \(patient\.ssn, .*\) and FOLIO_ENCRYPTION_KEYS is not set/,
      );
      await expect(start(`other:${key()}`)).rejects.toThrow(
        /wrapped by the master key "k1", which FOLIO_ENCRYPTION_KEYS does not hold/,
      );
      await expect(start(`k1:${key()}`)).rejects.toThrow(/does not open with the master key "k1"/);
    });

    describe('schema rules', () => {
      const withAttribute = (attribute: Record<string, unknown>, options: Record<string, unknown> = {}) => ({
        contentTypes: {
          vault: {
            kind: 'collectionType',
            info: { singularName: 'vault', pluralName: 'vaults', displayName: 'Vault' },
            options,
            attributes: { secret: attribute, other: { type: 'string' } },
          },
        },
      });

      it.each([
        [{ type: 'integer', encrypted: true }, /encrypted is supported on string, text, email, richtext and json/],
        [{ type: 'string', encrypted: true, unique: true }, /encrypted attribute cannot be unique/],
        [{ type: 'string', encrypted: true, index: true }, /encrypted attribute cannot be indexed/],
        [{ type: 'string', encrypted: 'yes' }, /encrypted must be true or false/],
      ])('refuses %j with a clear 400', async (attribute, message) => {
        const err = (await t()
          .folio.schema.apply(withAttribute(attribute))
          .catch((e: unknown) => e)) as { status: number; message: string };
        expect(err.status).toBe(400);
        expect(err.message).toMatch(message);
      });

      it('refuses a composite index naming an encrypted attribute', async () => {
        const schema = withAttribute(
          { type: 'string', encrypted: true },
          { indexes: [{ attributes: ['other', 'secret'] }] },
        );
        await expect(t().folio.schema.apply(schema)).rejects.toThrow(
          /an index on secret is not supported on an encrypted/,
        );
      });
    });

    describe('turning encrypted on and off for an attribute with data', () => {
      beforeAll(async () => {
        await t().folio.schema.apply(memoSchema(false));
        for (let i = 1; i <= 7; i += 1) {
          const res = await editor.post('/admin-api/content/memo', { title: `m${i}`, body: `secret ${i}` });
          expect(res.status).toBe(201);
        }
      });

      it('seals the column in batches, resuming after a crash, readers seeing plaintext throughout', async () => {
        const plan = await t().folio.schema.plan(memoSchema(true));
        const seal = plan.steps.find((s) => s.step.action === 'sealColumn');
        expect(seal?.description).toMatch(/encrypt the 7 value\(s\) of memo.body/);
        let batches = 0;
        await expect(
          executeStep(t().db, t().dialect, seal!.step, {
            model: plan.model,
            cipher: t().folio.cipher,
            rewrite: {
              batchSize: 2,
              onBatch: () => {
                batches += 1;
                if (batches === 2) throw new Crash('stopped after two batches');
              },
            },
          }),
        ).rejects.toThrow(Crash);
        const task = await t().db(TASKS_TABLE).where({ task: 'encrypt:memos.body' }).first();
        expect([Number(task.last_id), Number(task.done)]).toEqual([4, 4]);
        const half = await rawColumn(t(), 'memos', 'body');
        expect(half.filter((v) => String(v).startsWith(ENVELOPE_PREFIX)).length).toBe(4);
        // Half-way, readers still get every value (the stored schema is the old one).
        const mid = await editor.get('/admin-api/content/memo?sort=title:asc');
        expect(mid.body.data.map((e: { body: string }) => e.body)).toEqual(
          [1, 2, 3, 4, 5, 6, 7].map((i) => `secret ${i}`),
        );

        await t().folio.schema.apply(memoSchema(true));
        expect(await t().db(TASKS_TABLE).where({ task: 'encrypt:memos.body' }).first()).toBeUndefined();
        const sealed = await rawColumn(t(), 'memos', 'body');
        expect(sealed.every((v) => String(v).startsWith(ENVELOPE_PREFIX))).toBe(true);
        // The batches committed before the crash were kept, not sealed again.
        expect(sealed.slice(0, 4)).toEqual(half.slice(0, 4));
        const res = await editor.get('/admin-api/content/memo?sort=title:asc');
        expect(res.body.data.map((e: { body: string }) => e.body)).toEqual(
          [1, 2, 3, 4, 5, 6, 7].map((i) => `secret ${i}`),
        );
      });

      it('opens the column again when encrypted is turned off', async () => {
        const result = await t().folio.schema.apply(memoSchema(false));
        expect(result.applied.map((s) => s.step.action)).toContain('openColumn');
        expect(await rawColumn(t(), 'memos', 'body')).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `secret ${i}`));
        // Filterable again once plain.
        const res = await api().get('/api/memos?filters[body][$eq]=secret%203');
        expect(res.body.data.map((e: { title: string }) => e.title)).toEqual(['m3']);
      });
    });

    describe('backups', () => {
      const CONTENT = selectParts(['content']);
      let dir: string;
      beforeAll(() => {
        dir = mkdtempSync(path.join(RUN_DIR, 'encryption-'));
      });

      it('exports encrypted attributes sealed, with their wrapped data keys, and imports them back', async () => {
        const file = path.join(dir, 'sealed.tar.gz');
        const manifest = await exportArchive(t().folio, file, { parts: CONTENT });
        expect(manifest.decrypted).toBe(false);
        const rows = await archivedRows(file, 'patients');
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => String(r.ssn).startsWith(ENVELOPE_PREFIX))).toBe(true);
        expect(JSON.stringify(rows)).not.toContain(SSN);
        expect((await archivedRows(file, 'folio_encryption_keys')).length).toBeGreaterThan(0);

        await importArchive(t().folio, file, { replace: true });
        expect((await api().get(`/api/patients/${patient}`)).body.data.ssn).toBe(SSN);
      });

      it('exports them in the clear with decrypt, and import seals them again', async () => {
        const file = path.join(dir, 'clear.tar.gz');
        const manifest = await exportArchive(t().folio, file, { parts: CONTENT, decrypt: true });
        expect(manifest.decrypted).toBe(true);
        expect((await archivedRows(file, 'patients')).map((r) => r.ssn)).toContain(SSN);
        expect(await archivedRows(file, 'folio_encryption_keys')).toEqual([]);

        await importArchive(t().folio, file, { replace: true });
        const stored = await rawColumn(t(), 'patients', 'ssn');
        expect(stored.every((v) => String(v).startsWith(ENVELOPE_PREFIX))).toBe(true);
        expect((await api().get(`/api/patients/${patient}`)).body.data).toMatchObject({ ssn: SSN, profile: PROFILE });
      });
    });

    describe('folio keys rotate', () => {
      it('re-seals every value under a new data key wrapped by the new first key, resuming after a crash', async () => {
        const model = await t().folio.schema.current();
        const before = await rawColumn(t(), 'patients', 'ssn');
        const oldKeyIds = new Set(before.map((v) => parseEnvelope(v)?.keyId));
        const [first] = parseKeyring(FIRST_KEYS);
        const [second] = parseKeyring(`k2:${key()}`);
        const rotating = new FieldCipher(t().db, [second, first]);
        let batches = 0;
        await expect(
          rotateKeys(t().db, rotating, model, {
            batchSize: 1,
            onBatch: () => {
              batches += 1;
              if (batches === 1) throw new Crash('stopped after one batch');
            },
          }),
        ).rejects.toThrow(Crash);
        const header = await t().db(TASKS_TABLE).where({ task: 'rotate' }).first();
        expect(header.data_key_id).toBeTruthy();

        const result = await rotateKeys(t().db, rotating, model, { batchSize: 1 });
        expect(result).toMatchObject({ resumed: true, dataKeyId: header.data_key_id });
        expect(await t().db(TASKS_TABLE).count({ n: '*' }).first()).toMatchObject({ n: 0 });
        for (const column of ['ssn', 'notes', 'profile', 'contact']) {
          for (const value of await rawColumn(t(), 'patients', column)) {
            if (value === null) continue;
            expect(parseEnvelope(value)?.keyId).toBe(header.data_key_id);
            expect(oldKeyIds.has(parseEnvelope(value)?.keyId)).toBe(false);
          }
        }
        expect(await t().db('folio_encryption_keys').distinct('master_key_id').pluck('master_key_id')).toEqual(['k2']);
        // The old master key can go: the new one alone opens everything.
        const onlyNew = new FieldCipher(t().db, [second]);
        await onlyNew.load();
        expect((await rawColumn(t(), 'patients', 'ssn')).map((v) => onlyNew.decrypt(v))).toContain(SSN);
      });
    });
  },
  { FOLIO_ENCRYPTION_KEYS: FIRST_KEYS },
);

describeEachDatabase('encryption at rest without keys', (t) => {
  it('refuses a schema with encrypted attributes when FOLIO_ENCRYPTION_KEYS is not set', async () => {
    await expect(t().folio.schema.apply(patientSchema())).rejects.toThrow(/FOLIO_ENCRYPTION_KEYS is not set/);
    expect(await t().db.schema.hasTable('patients')).toBe(false);
  });
});

// The CLI itself, once (the database does not matter to it): progress per batch on stderr, the
// result on stdout, and every value re-sealed under a data key wrapped by the new first key.
describe('folio keys rotate (CLI)', () => {
  let t: TestFolio;
  beforeAll(async () => {
    t = await startTestFolio('sqlite', { FOLIO_ENCRYPTION_KEYS: FIRST_KEYS });
    await t.folio.schema.apply(memoSchema(true));
    for (const title of ['a', 'b', 'c'])
      await createDocument(t.folio, { caller: SYSTEM_CALLER, uid: 'memo', data: { title, body: `secret ${title}` } });
  });
  afterAll(() => t.close());

  it('re-seals every value in batches with progress, under the new first key', async () => {
    const keys = `k2:${key()},${FIRST_KEYS}`;
    const result = await runCli(['keys', 'rotate', '--batch-size', '2'], {
      ...testEnv(t.database.url),
      FOLIO_ENCRYPTION_KEYS: keys,
    });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stderr).toBe('re-sealing memos.body: 2/3 row(s) (67%)\nre-sealing memos.body: 3/3 row(s) (100%)\n');
    expect(result.stdout).toMatch(/^Finished the rotation to data key [a-f0-9]+ \(wrapped by "k2"\): 3 row\(s\)/);
    const dataKey = /data key ([a-f0-9]+)/.exec(result.stdout)?.[1];
    const values = await rawColumn(t, 'memos', 'body');
    expect(values.map((v) => parseEnvelope(v)?.keyId)).toEqual([dataKey, dataKey, dataKey]);
    for (const v of values) expect(String(v)).not.toContain('secret');
  });
});
