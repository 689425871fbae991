// Where a release is shown in the dashboard (react-admin's show route of the releases resource).
export const releasePath = (id: number | string) => `/releases/${encodeURIComponent(String(id))}/show`;
