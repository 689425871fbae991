// Jest loads global setup outside its own module system, so the TypeScript is loaded through tsx.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { default: setup } = await tsImport('./setup-run.ts', import.meta.url);
  await setup();
}
