// Client-side checks that mirror the server's rules (the server still decides).
export function longEnough(value: unknown) {
  return typeof value === 'string' && value && value.length < 8 ? 'folio.register.weak' : undefined;
}

export function sameAsPassword(value: unknown, values: Record<string, unknown>) {
  return value !== values.password ? 'folio.register.mismatch' : undefined;
}
