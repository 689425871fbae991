// The time zone an editor reads and chooses schedules in: the one they last picked, kept per signed-in
// user in react-admin's store (which a sign-out does not clear for users' own keys), else the browser's.
import { useGetIdentity, useStore } from 'react-admin';
import { userPreferenceKey } from '../list/userStore';
import { browserTimeZone, isTimeZone } from './zone';

export function useTimeZone(): [string, (zone: string) => void] {
  const { identity } = useGetIdentity();
  // Until the identity is known the key is nobody's: nothing is read or written under a user's name.
  const key = identity ? userPreferenceKey(identity.id, 'timeZone') : 'schedule.timeZone.unknownUser';
  const [stored, setStored] = useStore<string | undefined>(key, undefined);
  const zone = stored && isTimeZone(stored) ? stored : browserTimeZone();
  return [zone, (next: string) => setStored(next)];
}
