// `folio admin …`, `folio token …`, `folio permissions …` (the README's "CLI"): accounts, API tokens and
// role permissions from the command line. Results on stdout, one-line errors on stderr, exit 0/1.
// Each change is an access operation (server/access/operations/) by the system caller, as the Admin
// API's are by the signed-in admin: one transaction for the check, the write and the audit row.
import type { Command } from 'commander';
import { z } from 'zod';
import { SYSTEM_CALLER } from '../access/caller.js';
import { revokeApiToken, createApiToken } from '../access/operations/api-tokens.js';
import { setMemberRolePermissions } from '../access/operations/public-permissions.js';
import { setRolePermissions } from '../access/operations/role-permissions.js';
import { createUser } from '../access/operations/users.js';
import { SUPER_ADMIN } from '../access/service.js';
import { memberItem, parseMemberAllowList } from '../access/member-grants.js';
import { TOKEN_TYPES } from '../auth/api-tokens.js';
import { action, CliError, print, withFolio } from './runtime.js';

/** `--allow a.b,c.d --allow e.f` → ['a.b', 'c.d', 'e.f']. */
/** Items separated by commas; a field list's commas (`article.find(title,summary)`) stay in its item. */
function allowList(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.match(/(?:\([^)]*\)?|[^,(])+/g) ?? [])
    .map((v) => v.trim())
    .filter(Boolean);
}

function checkPassword(password: string): void {
  if (password.length < 8) throw new CliError('The password needs at least 8 characters');
  if (password.length > 200) throw new CliError('The password is longer than 200 characters');
}

/** The system, named `cli` in the audit log. */
const CLI = { ...SYSTEM_CALLER, label: 'cli' };

const ADMIN_ACTION = /^(read|create|update|delete|publish)$/;

function adminPairs(allow: string[]): { subject: string; action: string }[] {
  return allow.map((item) => {
    const dot = item.lastIndexOf('.');
    const subject = item.slice(0, dot);
    const act = item.slice(dot + 1);
    if (dot <= 0 || !/^([a-z][a-z0-9-]*|\*)$/.test(subject) || !ADMIN_ACTION.test(act)) {
      throw new CliError(`Invalid permission "${item}": expected <subject>.<read|create|update|delete|publish>`);
    }
    return { subject, action: act };
  });
}

export function registerAccessCommands(program: Command): void {
  const admin = program.command('admin').description('admin accounts');
  admin
    .command('create')
    .description('create an admin account (an existing email is an error)')
    .requiredOption('--email <email>', 'email address')
    .requiredOption('--password <password>', 'password (at least 8 characters)')
    .option('--role <role>', 'super-admin, editor, author or a custom role', SUPER_ADMIN)
    .option('--firstname <name>', 'first name', '')
    .option('--lastname <name>', 'last name', '')
    .action(
      action(async (opts: { email: string; password: string; role: string; firstname: string; lastname: string }) => {
        if (!z.email().safeParse(opts.email.trim()).success) throw new CliError(`Invalid email "${opts.email}"`);
        checkPassword(opts.password);
        const { user } = await withFolio((folio) =>
          createUser(folio, {
            caller: CLI,
            input: {
              email: opts.email,
              password: opts.password,
              firstname: opts.firstname,
              lastname: opts.lastname,
              roles: [opts.role],
            },
          }),
        );
        print(`Created admin ${user.email} (${user.roles.map((r) => r.name).join(', ')})`);
      }),
    );
  admin
    .command('reset-password')
    .description("set an admin's password; also lifts a lockout and ends their sessions")
    .requiredOption('--email <email>', 'email address')
    .requiredOption('--password <password>', 'new password (at least 8 characters)')
    .action(
      action(async (opts: { email: string; password: string }) => {
        checkPassword(opts.password);
        const user = await withFolio((folio) => folio.auth.resetPasswordDirectly(opts.email, opts.password));
        print(`Password reset for ${user.email}`);
      }),
    );

  const token = program.command('token').description('Content API tokens');
  token
    .command('create')
    .description('create an API token and print it (it is shown only once)')
    .requiredOption('--name <name>', 'a unique name')
    .requiredOption('--type <type>', TOKEN_TYPES.join('|'))
    .option('--allow <list...>', 'for custom tokens: type.action items, comma-separated (article.find,article.findOne)')
    .option('--duration-days <days>', 'expire after this many days (default: never)')
    .option('--description <text>', 'what the token is for')
    .action(
      action(
        async (opts: { name: string; type: string; allow?: string[]; durationDays?: string; description?: string }) => {
          if (!(TOKEN_TYPES as readonly string[]).includes(opts.type))
            throw new CliError(`--type must be one of ${TOKEN_TYPES.join(', ')}`);
          let durationDays: number | undefined;
          if (opts.durationDays !== undefined) {
            if (!/^\d+$/.test(opts.durationDays) || Number(opts.durationDays) < 1 || Number(opts.durationDays) > 36500)
              throw new CliError('--duration-days must be a whole number from 1 to 36500');
            durationDays = Number(opts.durationDays);
          }
          const allow = allowList(opts.allow);
          const created = await withFolio((folio) =>
            createApiToken(folio, {
              caller: CLI,
              input: {
                name: opts.name,
                type: opts.type as (typeof TOKEN_TYPES)[number],
                allow,
                durationDays,
                description: opts.description,
              },
            }),
          );
          print(created.token);
        },
      ),
    );
  token
    .command('revoke')
    .description('revoke an API token by name')
    .requiredOption('--name <name>', 'the token name')
    .action(
      action(async (opts: { name: string }) => {
        await withFolio((folio) => revokeApiToken(folio, { caller: CLI, token: { name: opts.name } }));
        print(`Revoked token ${opts.name}`);
      }),
    );

  const permissions = program
    .command('permissions')
    .description('role permissions (the Public role or a member role of the Content API, or an admin role)');
  for (const verb of ['grant', 'revoke'] as const) {
    permissions
      .command(verb)
      .description(verb === 'grant' ? 'grant permissions to a role' : 'revoke permissions from a role')
      .requiredOption(
        '--role <role>',
        'public, member:<role> (member:authenticated, a custom member role), or an admin role (editor, author, …)',
      )
      .requiredOption(
        '--allow <list...>',
        'public and member roles: type.find|findOne|create|update|delete|findDrafts, with a field ' +
          'allowlist in parentheses (article.find(title,summary); not on delete); member roles also limit ' +
          'find, findOne, findDrafts, update and delete to own entries (comment.update:own(body)); ' +
          'admin roles: subject.read|create|update|delete|publish',
      )
      .action(
        action(async (opts: { role: string; allow: string[] }) => {
          const allow = allowList(opts.allow);
          if (!allow.length) throw new CliError('--allow needs at least one permission');
          const result = await withFolio(async (folio) => {
            const memberRole = /^member:(.+)$/i.exec(opts.role)?.[1];
            if (opts.role.toLowerCase() === 'public' || memberRole) {
              const grants = parseMemberAllowList(allow);
              const items = grants.map(memberItem);
              // A revoke takes the type's action away, whatever limits (own entries, fields) it held.
              const unlimited = (item: string) => item.replace(/(:own)?(\(.*\))?$/, '');
              const remove = new Set(items.map(unlimited));
              if (memberRole && !(await folio.members.roles.byCode(memberRole.toLowerCase())))
                throw new CliError(`Unknown member role "${memberRole}"`);
              return setMemberRolePermissions(folio, {
                caller: CLI,
                role: memberRole ? memberRole.toLowerCase() : 'public',
                allow: (current) =>
                  verb === 'grant' ? [...current, ...items] : current.filter((p) => !remove.has(unlimited(p))),
                details: { [verb]: allow },
              });
            }
            const role = await folio.access.roleByCode(opts.role);
            if (!role) throw new CliError(`Unknown role "${opts.role}"`);
            const pairs = adminPairs(allow);
            const key = (p: { subject: string; action: string }) => `${p.subject}.${p.action}`;
            const wanted = new Set(pairs.map(key));
            // The CLI acts as the system: it holds everything, but grants only what the catalogue offers.
            const saved = await setRolePermissions(folio, {
              caller: CLI,
              roleId: role.id,
              permissions: (current) =>
                verb === 'grant'
                  ? [
                      ...current,
                      ...pairs
                        .filter((p) => !current.some((c) => key(c) === key(p) && !c.conditions && !c.fields))
                        .map((p) => ({ ...p, fields: null, conditions: null })),
                    ]
                  : current.filter((c) => !wanted.has(key(c))),
              details: { [verb]: allow },
            });
            return saved.map(key);
          });
          print(result.length ? result.join('\n') : '(no permissions)');
        }),
      );
  }
}
