import type { StaffRole } from '../../shared/enums';
import type { NsisLevel } from './auth/mitid';

export interface RoleGrant {
  role: StaffRole;
  unitId: string;
}

/** The staff member behind a request. A citizen in the portal is a CitizenActor, never an Actor. */
export interface Actor {
  kind: 'staff';
  userId: string;
  municipalityId: string;
  municipalityName: string;
  username: string;
  displayName: string;
  roles: RoleGrant[];
  sessionId: string;
  csrfToken: string;
}

/**
 * The citizen behind a portal request (issue 14): logged in with MitID, confined by the database role
 * retning_citizen and row-level security to their own rows. Kept apart from Actor so no staff code path can
 * be handed a citizen.
 */
export interface CitizenActor {
  kind: 'citizen';
  citizenId: string;
  municipalityId: string;
  municipalityName: string;
  firstName: string;
  lastName: string;
  level: NsisLevel;
  sessionId: string;
  csrfToken: string;
  /** Set when a relative or representative acts for the citizen under a representation (item 9). */
  representative: { representationId: string; name: string; scopes: RepresentativeScope[] } | null;
}

/** What a representative may do for the citizen: read always; write Mine ord and Mine mål; write messages. */
export const REPRESENTATIVE_SCOPES = ['read', 'write', 'messages'] as const;
export type RepresentativeScope = (typeof REPRESENTATIVE_SCOPES)[number];

export const ACTIONS = [
  'citizen.search',
  'citizen.read',
  'citizen.create',
  'citizen.update',
  'citizen.delete',
  'citizen.write_own_words',
  'citizen.view_cpr',
  'case.read',
  'case.write',
  'catalogue.manage',
  'service.provide',
  'community.read',
  'community.manage',
  'admin.manage',
  'audit.read',
  'audit.verify',
  'survey.manage',
  'survey.progress',
  'survey.results',
  'mail.outbox',
  'data.import',
  'keyfigures.read',
  'keyfigures.manage',
  'partner.read',
  'audit.answer',
  'message.handle',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * A resource as the policy sees it: only what decides access. unitIds are the units it belongs to (a
 * citizen's responsible unit, a case's authority unit); providerUnitIds the provider units delivering a
 * granted or active service for it.
 */
export interface Resource {
  type: 'citizen' | 'case' | 'service';
  unitIds: readonly (string | null)[];
  providerUnitIds?: readonly string[];
}

type Rule = {
  /** Roles that may do the action on any resource of their municipality. */
  roles: StaffRole[];
  /** Roles that may do it only on resources belonging to one of their own units. */
  unitScoped?: StaffRole[];
  /** Roles that may do it only on resources their own units deliver a granted or active service for. */
  providerScoped?: StaffRole[];
};

/**
 * The one access policy. Tenancy is enforced underneath by row-level security; this decides what a role
 * may do inside its own municipality. Anything not listed is denied.
 */
const RULES: Record<Action, Rule> = {
  // Provider staff reach a citizen only through a service their unit delivers (issue 3, item 12).
  'citizen.search': { roles: ['sagsbehandler', 'leder'], providerScoped: ['udfoerer'] },
  'citizen.read': { roles: ['sagsbehandler', 'leder'], providerScoped: ['udfoerer'] },
  'citizen.create': { roles: ['sagsbehandler'] },
  'citizen.update': { roles: ['sagsbehandler'] },
  'citizen.delete': { roles: ['sagsbehandler'] },
  'citizen.write_own_words': { roles: ['sagsbehandler'], providerScoped: ['udfoerer'] },
  'citizen.view_cpr': { roles: ['sagsbehandler'] },
  // Cases belong to an authority unit: caseworkers work on their unit's cases, managers read their units'.
  'case.read': { roles: [], unitScoped: ['sagsbehandler', 'leder'], providerScoped: ['udfoerer'] },
  'case.write': { roles: [], unitScoped: ['sagsbehandler'] },
  'catalogue.manage': { roles: ['administrator'] },
  // Provider staff work on the services their unit delivers: their plan, delmål, follow-ups and measures.
  'service.provide': { roles: [], providerScoped: ['udfoerer'] },
  'community.read': { roles: ['sagsbehandler', 'udfoerer', 'leder', 'administrator'] },
  'community.manage': { roles: ['sagsbehandler', 'udfoerer', 'administrator'] },
  'admin.manage': { roles: ['administrator'] },
  'audit.read': { roles: ['administrator', 'leder'] },
  'audit.verify': { roles: ['administrator'] },
  // The self-assessment survey: the administrator runs rounds; the municipal contact follows its own
  // municipality's response rate; managers and analysts read protected aggregates only. Nobody reads answers.
  'survey.manage': { roles: ['skemaadministrator'] },
  'survey.progress': { roles: ['skemaadministrator', 'kontaktperson'] },
  'survey.results': { roles: ['skemaadministrator', 'kontaktperson', 'leder', 'analytiker'] },
  // The demo outbox page (demo mode only): what the system sent.
  'mail.outbox': { roles: ['administrator', 'skemaadministrator'] },
  // Moving from another system: citizens, cases, services, follow-ups and measures in bulk.
  'data.import': { roles: ['administrator'] },
  // Steering: managers and analysts read the protected key figures of their municipality (and the others'
  // published totals); the administrator defines comparison groups.
  'keyfigures.read': { roles: ['leder', 'analytiker', 'administrator'] },
  'keyfigures.manage': { roles: ['administrator'] },
  // A partner organisation (jobcenter, regional psychiatry, GP, civil society) reads a citizen only through
  // that citizen's valid consent to the partner's own unit; the consent is checked at every request.
  'partner.read': { roles: [], unitScoped: ['partner'] },
  // Citizens' questions about events in Min log ("Det her forstår jeg ikke") land with the administrator.
  'audit.answer': { roles: ['administrator'] },
  // Secure messages with citizens land in a unit's inbox: its caseworkers, managers and provider staff.
  'message.handle': { roles: [], unitScoped: ['sagsbehandler', 'leder', 'udfoerer'] },
};

/** Units in which the actor holds one of the given roles. */
export function unitsWithRole(actor: Actor, roles: readonly StaffRole[]): string[] {
  return [...new Set(actor.roles.filter((g) => roles.includes(g.role)).map((g) => g.unitId))];
}

/**
 * can(actor, action, resource): default deny. Without a resource it answers whether the actor may do the
 * action on some resource (the route-level check); with one, whether on that one.
 */
export function can(actor: Actor | null, action: Action, resource?: Resource): boolean {
  if (!actor) return false;
  const rule = RULES[action];
  if (!rule) return false;
  if (actor.roles.some((g) => rule.roles.includes(g.role))) return true;
  const units = unitsWithRole(actor, rule.unitScoped ?? []);
  const providerUnits = unitsWithRole(actor, rule.providerScoped ?? []);
  if (units.length === 0 && providerUnits.length === 0) return false;
  if (!resource) return true;
  return (
    resource.unitIds.some((u) => u !== null && units.includes(u)) ||
    (resource.providerUnitIds ?? []).some((u) => providerUnits.includes(u))
  );
}

/**
 * The units to filter a search by when the actor may act only on some resources: those belonging to
 * `units`, and those `providerUnits` deliver a service for. Null when the actor may act on the whole
 * municipality.
 */
export function scopeUnits(
  actor: Actor,
  action: Action,
): { units: string[]; providerUnits: string[] } | null {
  const rule = RULES[action];
  if (actor.roles.some((g) => rule.roles.includes(g.role))) return null;
  return {
    units: unitsWithRole(actor, rule.unitScoped ?? []),
    providerUnits: unitsWithRole(actor, rule.providerScoped ?? []),
  };
}

/** The role recorded in audit events: the strongest role that grants the action. */
export function actingRole(actor: Actor, action: Action): StaffRole | null {
  const rule = RULES[action];
  const all = [...rule.roles, ...(rule.unitScoped ?? []), ...(rule.providerScoped ?? [])];
  return actor.roles.find((g) => all.includes(g.role))?.role ?? actor.roles[0]?.role ?? null;
}

/** What a route declares: who may reach it at all. Services add resource checks on top. */
export type RoutePolicy =
  | { public: true }
  | { authenticated: true }
  | { action: Action }
  /** Reachable with any of the actions (e.g. the authority's case.write or the provider's service.provide). */
  | { anyOf: Action[] }
  /**
   * The citizen portal: a citizen session (MitID), never a staff session. A representative acting for the
   * citizen reaches the route only if it names a scope they hold; without one it is the citizen's alone.
   */
  | { citizen: true; representative?: RepresentativeScope };

/** The portal's route-level check for a representative (the citizen themself passes every portal route). */
export function representativeMayUse(
  citizen: CitizenActor,
  policy: { representative?: RepresentativeScope },
) {
  if (!citizen.representative) return true;
  return policy.representative !== undefined && citizen.representative.scopes.includes(policy.representative);
}

/** The route-level check: may the actor reach this route at all? */
export function allowsRoute(actor: Actor | null, policy: RoutePolicy): boolean {
  if ('public' in policy) return true;
  if (!actor || 'citizen' in policy) return false;
  if ('action' in policy) return can(actor, policy.action);
  if ('anyOf' in policy) return policy.anyOf.some((a) => can(actor, a));
  return true;
}
