// `npm run bench -- --articles 10000,100000` (issue 24): the reads measured at each size in turn —
// seeded to the first size, measured, seeded on to the next (the dataset's first articles are the
// same at every size), measured again — and how each read's cost grows with the table.

/** `10000` or `10000,100000`: the sizes, ascending, each a whole number of articles from 1. */
export function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((item) => Number(item.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--articles takes whole numbers from 1');
  if (sizes.some((n, i) => i > 0 && n <= sizes[i - 1])) throw new Error('--articles sizes must be ascending');
  return sizes;
}

/** The reads whose growth the issue asks about (E5 reads rows until 25 match: it grows with the table by design). */
export const GROWTH_READS = ['E1', 'E2', 'E3', 'E4', 'E6'];

/**
 * Lists a site shows without a total — a home page's newest posts, a "load more" feed, a "popular
 * in this category" box — where a Strapi site asks `pagination[withCount]=false` and skips the
 * count. E6 is a numbered page (page 200): its links need the total. E4 is one entry: no count.
 */
export const WITHOUT_COUNT = ['E1', 'E2', 'E3'];

export const withoutCount = (url: string): string => `${url}&pagination[withCount]=false`;

export interface SizeFigure {
  scenario: string;
  reqPerSec: number;
  p99: number;
  loadAverage?: number;
}

/** Per read: req/s and p99 at each size, and the last size's req/s as a share of the first's. */
export function growthTable(sizes: readonly number[], bySize: ReadonlyArray<readonly SizeFigure[]>): string {
  const size = (n: number) => n.toLocaleString('en');
  const head = sizes.map((n) => `${size(n)}: req/s, p99 ms (load)`);
  const lines = [
    `| scenario | ${head.join(' | ')} | req/s at ${size(sizes[sizes.length - 1])} vs ${size(sizes[0])} |`,
    `|---|${sizes.map(() => '---|').join('')}---|`,
  ];
  for (const { scenario } of bySize[0]) {
    const row = bySize.map((figures) => figures.find((f) => f.scenario === scenario));
    const cells = row.map((f) => (f ? `${f.reqPerSec}, ${f.p99} (${f.loadAverage ?? '-'})` : '-'));
    const first = row[0];
    const last = row[row.length - 1];
    const ratio =
      first && last && first.reqPerSec > 0 ? `${Math.round((last.reqPerSec / first.reqPerSec) * 100)} %` : '-';
    lines.push(`| ${scenario} | ${cells.join(' | ')} | ${ratio} |`);
  }
  return `\n${lines.join('\n')}\n`;
}
