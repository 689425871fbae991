// The side menu: Home, the builder, media, Upcoming, Releases, the content types, then Settings. Entries the
// role cannot open are not shown (canAccess).
import { Menu as RaMenu, usePermissions, useSidebarState, useTranslate } from 'react-admin';
import { ListSubheader } from '@mui/material';
import WidgetsIcon from '@mui/icons-material/Widgets';
import PermMediaIcon from '@mui/icons-material/PermMedia';
import PublicIcon from '@mui/icons-material/Public';
import EventIcon from '@mui/icons-material/Event';
import BackupIcon from '@mui/icons-material/Backup';
import SpeedIcon from '@mui/icons-material/Speed';
import PeopleIcon from '@mui/icons-material/PeopleAltOutlined';
import { abilityOf, type Permission } from '../authProvider';
import { ContentMenuItems } from '../content/Menu';

const SETTINGS = ['users', 'roles', 'api-tokens', 'webhooks', 'settings', 'audit-log'];

export function Menu() {
  const translate = useTranslate();
  const [open] = useSidebarState();
  const { permissions } = usePermissions<Permission[]>();
  const ability = abilityOf(permissions ?? []);
  const anySettings = SETTINGS.some((subject) => ability.can('read', subject));
  return (
    <RaMenu>
      <RaMenu.DashboardItem primaryText="folio.menu.home" />
      {ability.can('read', 'content-type-builder') ? (
        <RaMenu.Item
          to="/content-type-builder"
          primaryText="folio.menu.content_type_builder"
          leftIcon={<WidgetsIcon />}
        />
      ) : null}
      {ability.can('read', 'upload') ? (
        <RaMenu.Item to="/media-library" primaryText="folio.menu.media_library" leftIcon={<PermMediaIcon />} />
      ) : null}
      {/* Anyone signed in: the list holds only the schedules of what the role may read. */}
      <RaMenu.Item to="/upcoming" primaryText="folio.menu.upcoming" leftIcon={<EventIcon />} />
      {/* Any admin: what a release may do is checked entry by entry. */}
      <RaMenu.ResourceItem name="releases" />
      <ContentMenuItems />
      {open && anySettings ? (
        <ListSubheader component="div" sx={{ bgcolor: 'transparent', lineHeight: '36px', mt: 1 }}>
          {translate('folio.menu.settings')}
        </ListSubheader>
      ) : null}
      <RaMenu.ResourceItem name="users" />
      <RaMenu.ResourceItem name="roles" />
      {ability.can('read', 'roles') ? (
        <RaMenu.Item to="/public-api" primaryText="folio.menu.public_api" leftIcon={<PublicIcon />} />
      ) : null}
      {['users', 'roles', 'settings'].some((subject) => ability.can('read', subject)) ? (
        <RaMenu.Item to="/members" primaryText="folio.menu.members" leftIcon={<PeopleIcon />} />
      ) : null}
      <RaMenu.ResourceItem name="api-tokens" />
      <RaMenu.ResourceItem name="webhooks" />
      <RaMenu.ResourceItem name="locales" />
      <RaMenu.ResourceItem name="audit-log" />
      {/* Super Admins only (the server refuses anyone else). */}
      {ability.can('manage', 'all') ? (
        <RaMenu.Item to="/backups" primaryText="folio.menu.backups" leftIcon={<BackupIcon />} />
      ) : null}
      {ability.can('read', 'settings') ? (
        <RaMenu.Item to="/performance" primaryText="folio.menu.performance" leftIcon={<SpeedIcon />} />
      ) : null}
    </RaMenu>
  );
}
