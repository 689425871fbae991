// The releases resource (react-admin's demo style: one folder, one object of views per resource).
import type { ResourceProps } from 'react-admin';
import NewReleasesIcon from '@mui/icons-material/NewReleases';
import { ReleaseCreate, ReleaseList } from './ReleaseList';
import { ReleaseShow } from './ReleaseShow';

export const releases: Omit<ResourceProps, 'name'> = {
  list: ReleaseList,
  create: ReleaseCreate,
  show: ReleaseShow,
  icon: NewReleasesIcon,
  recordRepresentation: 'name',
};
