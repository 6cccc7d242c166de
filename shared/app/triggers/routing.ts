/**
 * Which agents analyse a new object, by its key: the routing table of the S3
 * trigger (and of `aiops serve --inbox`). Each route is a glob over the key
 * and the agents it names; the first route that matches wins, so a narrower
 * route goes before a broader one, and a route with no agents ignores what it
 * matches.
 *
 * Globs: `*` any characters within one path segment, `?` one such character,
 * `**` any number of whole segments (`logs/**` is every key under `logs/`,
 * `metrics/**\/*.csv` every CSV at any depth under `metrics/`), `{a,b}` one of
 * the listed alternatives.
 *
 * Admins override the table at run time with the configurations key
 * `triggers.objectRoutes` (a JSON array of `{ pattern, agents }`).
 */

import * as z from 'zod';
import { getAgent } from '../../agents/registry.js';
import { compileGlob, type Glob } from '../../analysis/glob.js';
import { ValidationError } from '../../core/errors.js';
import { logger } from '../../core/observability.js';
import { fieldErrors } from '../../core/validation.js';

export interface ObjectRoute {
  pattern: string;
  agents: readonly string[];
}

export const DEFAULT_OBJECT_ROUTES: readonly ObjectRoute[] = [
  { pattern: 'logs/**', agents: ['log-analyzer'] },
  { pattern: 'metrics/**/*.csv', agents: ['anomaly-detector'] },
  { pattern: 'k8s/**/*.{yaml,yml}', agents: ['k8s-optimizer'] },
  { pattern: 'sql/**/*.sql', agents: ['db-query-analyzer'] },
];

/** The configurations key that replaces the table. */
export const OBJECT_ROUTES_CONFIG_KEY = 'triggers.objectRoutes';

export const objectRoutesSchema = z
  .array(
    z.strictObject({
      pattern: z.string().min(1).max(512),
      agents: z.array(z.string().min(1).max(100)).max(10),
    }),
  )
  .max(200);

/**
 * A route's glob over whole object keys, through the one linear-time matcher
 * (shared/analysis/glob.ts): a key comes from whoever can write to the bucket
 * or the inbox, and a backtracking RegExp could spend minutes on one.
 */
export function compileRouteGlob(glob: string): Glob {
  // The matcher, like node's globs, reads an unclosed "{" literally; in a route it is a typo worth refusing.
  const open = glob.lastIndexOf('{');
  if (open >= 0 && glob.indexOf('}', open) < 0) {
    throw new ValidationError(`Invalid glob ${glob}: "{" without "}"`, [
      { path: 'pattern', message: 'has "{" without a closing "}"' },
    ]);
  }
  return compileGlob(glob, { syntax: 'path', field: 'pattern' });
}

interface CompiledRoute {
  route: ObjectRoute;
  glob: Glob;
}

export class RoutingTable {
  readonly #routes: readonly CompiledRoute[];

  private constructor(routes: readonly CompiledRoute[]) {
    this.#routes = routes;
  }

  /**
   * Compiles `routes`, leaving out agents this release does not have (with a
   * warning): a table may name agents before they ship.
   */
  static compile(
    routes: readonly ObjectRoute[],
    isRegistered = (agent: string) => getAgent(agent) !== undefined,
  ) {
    const compiled = routes.map((route) => {
      const missing = route.agents.filter((agent) => !isRegistered(agent));
      if (missing.length > 0) {
        logger.warn('object route names agents that are not registered; they are skipped', {
          pattern: route.pattern,
          agents: missing,
        });
      }
      return {
        route: { pattern: route.pattern, agents: route.agents.filter(isRegistered) },
        glob: compileRouteGlob(route.pattern),
      };
    });
    return new RoutingTable(compiled);
  }

  /** Parses a table from the configurations table's JSON; ValidationError when it is not one. */
  static fromJson(value: unknown, isRegistered?: (agent: string) => boolean): RoutingTable {
    const parsed = objectRoutesSchema.safeParse(value);
    if (!parsed.success) {
      throw new ValidationError(
        `Invalid ${OBJECT_ROUTES_CONFIG_KEY}`,
        fieldErrors(parsed.error.issues, OBJECT_ROUTES_CONFIG_KEY),
      );
    }
    return RoutingTable.compile(parsed.data, isRegistered);
  }

  get routes(): readonly ObjectRoute[] {
    return this.#routes.map((r) => r.route);
  }

  /** The agents for `key` (first matching route), and the pattern that matched. */
  match(key: string): { pattern: string; agents: readonly string[] } | undefined {
    const hit = this.#routes.find((r) => r.glob.matches(key));
    return hit && { pattern: hit.route.pattern, agents: hit.route.agents };
  }
}
