// The side menu: Home, then Settings. Entries the role cannot open are not shown (canAccess).
import { Menu as RaMenu, usePermissions, useSidebarState } from 'react-admin';
import { ListSubheader } from '@mui/material';
import { abilityOf, type Permission } from '../authProvider';
import { ContentMenuItems } from '../content/Menu';

const SETTINGS = ['users', 'roles', 'api-tokens', 'webhooks', 'audit-log'];

export function Menu() {
  const [open] = useSidebarState();
  const { permissions } = usePermissions<Permission[]>();
  const ability = abilityOf(permissions ?? []);
  const anySettings = SETTINGS.some((subject) => ability.can('read', subject));
  return (
    <RaMenu>
      <RaMenu.DashboardItem primaryText="Home" />
      <ContentMenuItems />
      {open && anySettings ? (
        <ListSubheader component="div" sx={{ bgcolor: 'transparent', lineHeight: '36px', mt: 1 }}>
          Settings
        </ListSubheader>
      ) : null}
      <RaMenu.ResourceItem name="users" />
      <RaMenu.ResourceItem name="roles" />
      <RaMenu.ResourceItem name="api-tokens" />
      <RaMenu.ResourceItem name="webhooks" />
      <RaMenu.ResourceItem name="audit-log" />
    </RaMenu>
  );
}
