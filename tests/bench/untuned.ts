// `npm run bench -- --schema untuned` (issue 24): the bench's types with no `index` options, measured
// in three phases of one run — before the default indexes, after them, and after every index the
// query advisor suggested for the traffic of the phase before. This module holds the plan of those
// phases and the table of their figures; run.ts drives the servers.

/** The two databases of an untuned run: seeded without the default indexes, and with them. */
export type UntunedDatabase = 'plain' | 'defaults';

export interface Phase {
  name: 'a' | 'b' | 'c';
  label: string;
  database: UntunedDatabase;
  /** Before measuring: apply every index the advisor suggests for the traffic of the phases before on this server. */
  advise: boolean;
}

/**
 * (a) and (b) each get a database seeded with their own schema, so that seeding is timed without
 * and with the defaults in one run; (c) is (b)'s database and server, after the advisor's indexes.
 */
export const UNTUNED_PHASES: readonly Phase[] = [
  { name: 'a', label: 'untuned, no default indexes', database: 'plain', advise: false },
  { name: 'b', label: 'untuned, default indexes', database: 'defaults', advise: false },
  { name: 'c', label: "untuned, defaults + the advisor's indexes", database: 'defaults', advise: true },
];

/** The databases in the order their first phase runs (each is seeded once, before the measurements). */
export function databasesOf(phases: readonly Phase[]): UntunedDatabase[] {
  return [...new Set(phases.map((phase) => phase.database))];
}

/**
 * Whether a later phase reads the database of phase `index`: then what W1 wrote in it is removed
 * after W1 (the next phase reads the seeded dataset, not the seeded dataset and W1's thousands of
 * newest articles), and its server keeps running (the advisor's samples live in its memory).
 */
export function usedLater(phases: readonly Phase[], index: number): boolean {
  return phases.slice(index + 1).some((phase) => phase.database === phases[index].database);
}

/**
 * The ceilings a read of an untuned run is measured beside: C for the lists, C1 for one entry, C2
 * for the populated list; and for E1, the newest-first list, also C0 — the same minimal server on a
 * table without the index the sort needs, what any server gets before the defaults.
 */
export function untunedCeilings(scenario: string): Array<'C' | 'C0' | 'C1' | 'C2'> {
  if (scenario === 'E4') return ['C1'];
  if (scenario === 'E2') return ['C2'];
  return scenario === 'E1' ? ['C', 'C0'] : ['C'];
}

/** One measured load, as run.ts records it (the fields the table shows). */
export interface PhaseFigure {
  scenario: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** The machine's 1-minute load average when the load ended. */
  loadAverage?: number;
  beside?: PhaseFigure[];
}

const percent = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)} %` : '-');

/**
 * Per scenario, a row per phase: req/s, p50, p99, each ceiling beside it with the ratio of req/s and
 * of p99 (the issue's targets: ≥ 60 % of the ceiling's req/s, p99 ≤ 1.5 × the ceiling's).
 */
export function phaseTable(phases: ReadonlyArray<{ phase: Phase; figures: PhaseFigure[] }>): string {
  const lines = [
    '| scenario | phase | req/s | p50 ms | p99 ms | failures | ceiling beside it: req/s, p50, p99 | ' +
      'req/s vs ceiling | p99 vs ceiling | load avg |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const scenarios = [...new Set(phases.flatMap(({ figures }) => figures.map((f) => f.scenario)))];
  for (const scenario of scenarios) {
    for (const { phase, figures } of phases) {
      const f = figures.find((figure) => figure.scenario === scenario);
      if (!f) continue;
      const beside = f.beside ?? [];
      const cell = (text: (c: PhaseFigure) => string) => (beside.length ? beside.map(text).join('; ') : '-');
      lines.push(
        `| ${scenario} | ${phase.name} | ${f.reqPerSec} | ${f.p50} | ${f.p99} | ${f.errors + f.non2xx} | ` +
          `${cell((c) => `${c.scenario} ${c.reqPerSec}, ${c.p50}, ${c.p99}`)} | ` +
          `${cell((c) => `${percent(f.reqPerSec, c.reqPerSec)} of ${c.scenario}`)} | ` +
          `${cell((c) => `${c.p99 > 0 ? (f.p99 / c.p99).toFixed(2) : '-'} × ${c.scenario}'s`)} | ` +
          `${f.loadAverage ?? '-'} |`,
      );
    }
  }
  const legend = phases.map(({ phase }) => `${phase.name}: ${phase.label}`).join('; ');
  return `\n${legend}\n\n${lines.join('\n')}\n`;
}

/** Seeding of each database, side by side: what the default indexes cost the writes that fill a table. */
export function seedingTable(
  seedings: ReadonlyArray<{ database: UntunedDatabase; seconds: number; perSecond: number; loadAverage: number }>,
): string {
  const lines = ['| database | seeding s | articles/s | load avg |', '|---|---|---|---|'];
  for (const s of seedings) lines.push(`| ${s.database} | ${s.seconds} | ${s.perSecond} | ${s.loadAverage} |`);
  return `\n${lines.join('\n')}\n`;
}
