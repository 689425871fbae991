// Which fields of an entry differ between the stored version and the form's unsaved values: what
// the conflict view (ConflictComparison) lists after a refused stale save.
export interface FieldDifference {
  name: string;
  theirs: unknown;
  mine: unknown;
}

/** A value as text with object keys sorted: MySQL's JSON columns may hand keys back in another order. */
function canonical(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** A field's value, only when the object holds it itself (a field named `constructor` is not Object's). */
function own(values: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}

/** The fields of the type whose stored and unsaved values differ, in the form's order (passwords never shown). */
export function differingFields(
  attributes: Readonly<Record<string, { type: string }>>,
  theirs: Record<string, unknown>,
  mine: Record<string, unknown>,
): FieldDifference[] {
  return Object.entries(attributes)
    .filter(([, attribute]) => attribute.type !== 'password')
    .map(([name]) => ({ name, theirs: own(theirs, name), mine: own(mine, name) }))
    .filter((field) => canonical(field.theirs) !== canonical(field.mine));
}
