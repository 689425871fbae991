// The side menu: Home, then Settings. Entries the role cannot open are not shown (canAccess).
import { Menu as RaMenu, useSidebarState } from 'react-admin';
import { ListSubheader } from '@mui/material';

export function Menu() {
  const [open] = useSidebarState();
  return (
    <RaMenu>
      <RaMenu.DashboardItem primaryText="Home" />
      {open ? (
        <ListSubheader component="div" sx={{ bgcolor: 'transparent', lineHeight: '36px', mt: 1 }}>
          Settings
        </ListSubheader>
      ) : null}
      <RaMenu.ResourceItem name="users" />
      <RaMenu.ResourceItem name="roles" />
      <RaMenu.ResourceItem name="api-tokens" />
      <RaMenu.ResourceItem name="audit-log" />
    </RaMenu>
  );
}
