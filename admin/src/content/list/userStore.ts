// What an editor chose in a list (filters, sort, page size, columns) is kept per signed-in user in
// react-admin's store (localStorage): the keys carry the user's id, so that another user of the same
// browser starts from the defaults, and a sign-out (which resets the store) keeps them for next time.
import { localStorageStore, type Identifier, type Store } from 'react-admin';

const USER_PREFIX = 'folio.user.';

/** The store key under which one user's settings of one list live. */
export function userListKey(userId: Identifier, resource: string): string {
  return `${USER_PREFIX}${String(userId)}.${resource}`;
}

/** The store key of one of a user's own settings (their time zone), kept across sign-outs as well. */
export function userPreferenceKey(userId: Identifier, name: string): string {
  return `${USER_PREFIX}${String(userId)}.${name}`;
}

/** react-admin's localStorage store, whose reset (on sign-out) keeps every user's list settings. */
export function preferencesStore(base: Store = localStorageStore()): Store {
  return {
    ...base,
    reset() {
      if (!base.listItems) return base.reset();
      const items = base.listItems();
      for (const key of Object.keys(items)) if (!key.startsWith(USER_PREFIX)) base.removeItem(key);
    },
  };
}
