export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" role="img" aria-label="Folio logo">
      <rect width="64" height="64" rx="14" fill="#3b5bdb" />
      <path d="M20 16h26v8H29v7h14v8H29v13h-9z" fill="#fff" />
    </svg>
  );
}
