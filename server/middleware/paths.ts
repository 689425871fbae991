// Which part of the API a request is for: a prefix matches itself and what lies below it, never a
// sibling that merely starts with the same letters (`/api` is not `/apiary`).
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}
