// The query advisor: per list shape (shape.ts) of /api and /admin-api list reads, how often it runs
// and how long it takes (a bounded reservoir of durations for p50/p99), and for shapes slower than
// QUERY_ADVISOR_SLOW_MS the database's plan of one sample (plan.ts, run once per shape, after the
// response, never on the request's path) with the index that would serve it (suggest.ts).
//
// In memory, per process: each instance of a cluster advises on its own traffic, and a restart
// starts over. The hot path is one key string, a Map lookup and a few number writes per list read.
import { createHash } from 'node:crypto';
import type { ContentQuery } from '../content/query/ast.js';
import type { ListObserver, QueryEngine } from '../content/query/execute.js';
import type { Logger } from '../logger.js';
import { compositeIndexName } from '../schema/physical.js';
import { explainStatement, planInWords, type ListPlan } from './plan.js';
import { shapeKey } from './shape.js';
import { alreadyDeclared, suggestedAttributes } from './suggest.js';

/** Durations kept per shape (Vitter's algorithm R: a uniform sample of every read since the reset). */
const RESERVOIR = 256;
/** Shapes kept per process; past it, the one seen longest ago makes room. */
const MAX_SHAPES = 500;

export interface AdvisorOptions {
  enabled: boolean;
  /** A read at least this slow gets its shape's plan captured (once per shape). */
  slowMs: number;
  logger: Logger;
}

/** The timings of a shape at one moment: kept as "before" when an index is applied. */
export interface Timings {
  count: number;
  p50: number | null;
  p99: number | null;
}

export interface ShapePlan extends ListPlan {
  returned: number;
  words: string;
  capturedAt: string;
}

export interface ShapeReport extends Timings {
  id: string;
  key: string;
  type: string;
  lastSeen: string;
  maxMs: number;
  plan: ShapePlan | null;
  /** The `options.indexes` entry that would serve it; null when the plan needs none or none can be named. */
  suggestion: { type: string; attributes: string[] } | null;
  /** The shape's timings when an index was last applied for it, and what was applied. */
  before: (Timings & { appliedAt: string; attributes: string[] }) | null;
}

export interface Sample {
  query: ContentQuery;
  engine: QueryEngine;
  returned: number;
}

class ShapeStats {
  count = 0;
  maxMs = 0;
  lastSeen = 0;
  readonly durations = new Float64Array(RESERVOIR);
  /** The slowest read's query, kept for its plan (the values it was run with). */
  sample: Sample | null = null;
  plan: ShapePlan | null = null;
  explaining = false;
  before: ShapeReport['before'] = null;

  constructor(
    readonly id: string,
    readonly key: string,
    readonly type: string,
  ) {}

  record(ms: number): void {
    const n = this.count++;
    if (n < RESERVOIR) this.durations[n] = ms;
    else {
      const j = Math.floor(Math.random() * (n + 1));
      if (j < RESERVOIR) this.durations[j] = ms;
    }
    this.lastSeen = Date.now();
  }

  timings(): Timings {
    const kept = this.durations.slice(0, Math.min(this.count, RESERVOIR)).sort();
    const at = (q: number) =>
      kept.length === 0 ? null : round(kept[Math.min(kept.length - 1, Math.floor(q * kept.length))]);
    return { count: this.count, p50: at(0.5), p99: at(0.99) };
  }

  reset(): void {
    this.count = 0;
    this.maxMs = 0;
    this.plan = null;
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export class QueryAdvisor {
  private readonly shapes = new Map<string, ShapeStats>();
  /** What the query engine calls; undefined when the advisor is off (QUERY_ADVISOR=off): nothing is recorded. */
  readonly observer?: ListObserver;

  constructor(private readonly options: AdvisorOptions) {
    if (options.enabled)
      this.observer = { listed: (query, engine, ms, returned) => this.listed(query, engine, ms, returned) };
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  get slowMs(): number {
    return this.options.slowMs;
  }

  private listed(query: ContentQuery, engine: QueryEngine, ms: number, returned: number): void {
    const key = shapeKey(query);
    let stats = this.shapes.get(key);
    if (!stats) stats = this.add(key, query.type.uid);
    stats.record(ms);
    if (ms > stats.maxMs) {
      stats.maxMs = ms;
      stats.sample = { query, engine, returned };
    }
    if (ms >= this.options.slowMs && stats.plan === null && !stats.explaining) {
      stats.explaining = true;
      // After the response: the plan costs the database a statement, not the request its time.
      setImmediate(() => void this.explain(stats));
    }
  }

  private add(key: string, type: string): ShapeStats {
    if (this.shapes.size >= MAX_SHAPES) {
      let oldest: ShapeStats | undefined;
      for (const s of this.shapes.values()) if (!oldest || s.lastSeen < oldest.lastSeen) oldest = s;
      if (oldest) this.shapes.delete(oldest.key);
    }
    const id = createHash('sha256').update(key).digest('hex').slice(0, 16);
    const stats = new ShapeStats(id, key, type);
    this.shapes.set(key, stats);
    return stats;
  }

  /** Captures the plan of the shape's slowest sample; a failure is logged and tried again on a later slow read. */
  private async explain(stats: ShapeStats): Promise<void> {
    const sample = stats.sample;
    try {
      if (sample) stats.plan = await planOf(sample);
    } catch (err) {
      this.options.logger.warn({ err, shape: stats.key }, 'query advisor: could not read the plan');
    } finally {
      stats.explaining = false;
    }
  }

  /** Every shape, slowest p99 first. */
  list(): ShapeReport[] {
    return [...this.shapes.values()].map(report).sort((a, b) => (b.p99 ?? 0) - (a.p99 ?? 0));
  }

  find(id: string): ShapeReport | undefined {
    for (const s of this.shapes.values()) if (s.id === id) return report(s);
    return undefined;
  }

  /**
   * After an index was built for `type`: each of its shapes keeps its timings as "before", starts
   * counting again, and has its plan read again at once (from its sample), so the dashboard shows
   * whether the index is used and, as traffic comes back, the timings after.
   */
  async indexApplied(type: string, attributes: string[]): Promise<void> {
    const appliedAt = new Date().toISOString();
    const shapes = [...this.shapes.values()].filter((s) => s.type === type);
    for (const s of shapes) {
      s.before = { ...s.timings(), appliedAt, attributes };
      s.reset();
    }
    await Promise.all(shapes.map((s) => this.explain(s)));
  }

  /** Forgets every shape (tests, and the admin's "reset"). */
  clear(): void {
    this.shapes.clear();
  }
}

/** The plan of a sample's page statement, with rows examined counted on SQLite (which has no estimate). */
export async function planOf(sample: Sample): Promise<ShapePlan> {
  const { engine, query, returned } = sample;
  const statements = engine.listStatements(query);
  const plan = await explainStatement(engine.db, engine.dialect, statements.page);
  if (plan.examined === null && (plan.sorts || plan.fullScan)) {
    // Sorting the matches reads every one of them: the count statement says how many.
    const [row] = (await engine.db.raw(statements.count.sql, statements.count.bindings as never[])) as unknown as [
      Array<{ n: number | string }>,
    ];
    const rows = Array.isArray(row) ? row : [row];
    plan.examined = Number(rows[0]?.n ?? 0);
  }
  return { ...plan, returned, words: planInWords(plan, returned), capturedAt: new Date().toISOString() };
}

/** Whether a plan shows work an index would save: a sort, a full scan, or far more rows read than returned. */
export function needsIndex(plan: ListPlan, returned: number): boolean {
  return plan.sorts || plan.fullScan || (plan.examined !== null && plan.examined > 10 * Math.max(returned, 1) + 100);
}

/**
 * The `options.indexes` entry that would serve `query`, when its plan shows work an index would save
 * and the database does not have that index (declared, or already read through).
 */
export function suggestionFor(query: ContentQuery, plan: ShapePlan): ShapeReport['suggestion'] {
  if (!needsIndex(plan, plan.returned)) return null;
  const attributes = suggestedAttributes(query);
  if (!attributes) return null;
  // A plan read before the index was built is read again when it is applied through the advisor.
  if (plan.indexes.includes(compositeIndexName(query.type.table, attributes))) return null;
  return alreadyDeclared(query.type, attributes) ? null : { type: query.type.uid, attributes };
}

function report(s: ShapeStats): ShapeReport {
  const query = s.sample?.query;
  const suggestion = query && s.plan ? suggestionFor(query, s.plan) : null;
  return {
    id: s.id,
    key: s.key,
    type: s.type,
    ...s.timings(),
    lastSeen: new Date(s.lastSeen).toISOString(),
    maxMs: round(s.maxMs),
    plan: s.plan,
    suggestion,
    before: s.before,
  };
}
