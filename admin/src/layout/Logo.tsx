// Folio's mark. Decorative: wherever it is shown the name "Folio" is written beside it, so a screen
// reader is not told the name twice (and there are no words here to translate).
export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="14" fill="#3b5bdb" />
      <path d="M20 16h26v8H29v7h14v8H29v13h-9z" fill="#fff" />
    </svg>
  );
}
