// A Strapi 5 project's schema files, read from its folder into one schema file (docs/schema.md,
// "From a Strapi project"): every src/api/<api>/content-types/<type>/schema.json by its singularName,
// every src/components/<category>/<name>.json as `<category>.<name>`. The definitions are taken as
// they are: Folio's schema vocabulary is Strapi's, so no key is renamed, and strapi-keys.ts lists
// those Folio does not act on.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ComponentDefinition, ContentTypeDefinition, SchemaFile } from './types.js';

/** Why a folder cannot be read as a Strapi project; the message names the folder or file. */
export class StrapiProjectError extends Error {
  override name = 'StrapiProjectError';
}

export interface StrapiProject {
  /** The `src` folder read. */
  src: string;
  file: SchemaFile & {
    contentTypes: Record<string, ContentTypeDefinition>;
    components: Record<string, ComponentDefinition>;
  };
  /** Schema files found that are not read: those of plugins and their extensions. */
  skipped: string[];
}

async function isDirectory(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null))?.isDirectory() === true;
}

/** The subfolders of `dir` (none when it does not exist), sorted so the output is stable. */
async function folders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

async function files(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => e.name)
    .sort();
}

/** The project's `src`: `<dir>/src` for a project, or `<dir>` itself when it holds api/ or components/. */
async function sourceFolder(dir: string): Promise<string> {
  if (await isDirectory(path.join(dir, 'src'))) return path.join(dir, 'src');
  return dir;
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new StrapiProjectError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new StrapiProjectError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new StrapiProjectError(`${file} is not a schema: expected a JSON object`);
  return value as Record<string, unknown>;
}

/** The content types, keyed by singularName (the folder name when the file has none: the validator says so). */
async function contentTypes(src: string): Promise<Record<string, ContentTypeDefinition>> {
  const found: Record<string, ContentTypeDefinition> = {};
  const from = new Map<string, string>();
  for (const api of await folders(path.join(src, 'api'))) {
    const typesDir = path.join(src, 'api', api, 'content-types');
    for (const type of await folders(typesDir)) {
      const file = path.join(typesDir, type, 'schema.json');
      if (!(await stat(file).catch(() => null))?.isFile()) continue;
      const schema = await readJson(file);
      const info = schema.info as { singularName?: unknown } | undefined;
      const key = typeof info?.singularName === 'string' ? info.singularName : type;
      const other = from.get(key);
      if (other) throw new StrapiProjectError(`${other} and ${file} both define the content type ${key}`);
      from.set(key, file);
      found[key] = schema as unknown as ContentTypeDefinition;
    }
  }
  return found;
}

/** The components, `<category>.<name>` from their path as Strapi derives their uid. */
async function components(src: string): Promise<Record<string, ComponentDefinition>> {
  const found: Record<string, ComponentDefinition> = {};
  for (const category of await folders(path.join(src, 'components'))) {
    for (const name of await files(path.join(src, 'components', category), '.json')) {
      const schema = await readJson(path.join(src, 'components', category, name));
      found[`${category}.${name.slice(0, -'.json'.length)}`] = schema as unknown as ComponentDefinition;
    }
  }
  return found;
}

/** Schema files of plugins (src/plugins, src/extensions): Folio has none of those plugins. */
async function pluginSchemas(src: string): Promise<string[]> {
  const found: string[] = [];
  for (const root of ['plugins', 'extensions']) {
    for (const plugin of await folders(path.join(src, root))) {
      for (const base of [path.join(src, root, plugin), path.join(src, root, plugin, 'server', 'src')]) {
        for (const type of await folders(path.join(base, 'content-types'))) {
          const file = path.join(base, 'content-types', type, 'schema.json');
          if ((await stat(file).catch(() => null))?.isFile()) found.push(path.relative(src, file));
        }
      }
    }
  }
  return found;
}

/** Reads a Strapi project (or its `src/`) into one schema file; refuses a folder with no schema in it. */
export async function readStrapiProject(dir: string): Promise<StrapiProject> {
  if (!(await isDirectory(dir))) throw new StrapiProjectError(`${dir} is not a folder`);
  const src = await sourceFolder(dir);
  const file = { contentTypes: await contentTypes(src), components: await components(src) };
  if (Object.keys(file.contentTypes).length === 0 && Object.keys(file.components).length === 0) {
    throw new StrapiProjectError(
      `${dir} holds no Strapi schema: looked for src/api/*/content-types/*/schema.json and ` +
        `src/components/<category>/<name>.json`,
    );
  }
  return { src, file, skipped: await pluginSchemas(src) };
}

/** A lone content-type schema.json or component file given where a schema file is expected. */
export function isStrapiDefinition(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return (
    Object.hasOwn(value, 'attributes') && !Object.hasOwn(value, 'contentTypes') && !Object.hasOwn(value, 'components')
  );
}
