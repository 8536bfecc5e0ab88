/** Staff roles, assigned per organisation unit. The citizen role arrives with the portal. */
export const STAFF_ROLES = [
  'sagsbehandler',
  'udfoerer',
  'leder',
  'analytiker',
  'administrator',
  /** Runs self-assessment survey rounds (the national agency, or a municipality for itself). */
  'skemaadministrator',
  /** A municipality's contact for survey rounds: follows its response rate and its results. */
  'kontaktperson',
  /**
   * Staff of a partner organisation (a jobcenter consultant, regional psychiatry, the GP, a civil-society
   * offer): sees exactly what a citizen's valid consent to their unit allows (issue 14).
   */
  'partner',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Tenants: municipalities, and the national agency that runs national survey rounds. */
export const TENANT_KINDS = ['municipality', 'national_agency'] as const;
export type TenantKind = (typeof TENANT_KINDS)[number];

/**
 * The roles an administrator may grant in each kind of tenant (issue 12, item 4). The survey
 * administrator is a national role: only the agency runs rounds across municipalities.
 */
export const GRANTABLE_ROLES: Record<TenantKind, readonly StaffRole[]> = {
  municipality: [
    'sagsbehandler',
    'udfoerer',
    'leder',
    'analytiker',
    'administrator',
    'kontaktperson',
    'partner',
  ],
  national_agency: ['administrator', 'skemaadministrator'],
};

/** Actor kinds: staff now, citizens through the portal later. */
export const ACTOR_KINDS = ['staff', 'citizen'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Organisation unit kinds within a municipality; a partner is an organisation outside it (issue 14). */
export const UNIT_KINDS = ['myndighed', 'tilbud', 'team', 'partner'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Who wrote a text in the citizen's own words. */
export const WRITTEN_BY = ['citizen', 'staff_on_behalf'] as const;
export type WrittenBy = (typeof WRITTEN_BY)[number];

/** The citizen's own-words texts. */
export const NARRATIVE_KINDS = ['hopes', 'resources'] as const;
export type NarrativeKind = (typeof NARRATIVE_KINDS)[number];

/** Whether the citizen agrees that a network person may be contacted. */
export const CONTACT_CONSENT = ['yes', 'no', 'not_asked'] as const;
export type ContactConsent = (typeof CONTACT_CONSENT)[number];

export const AUDIT_OUTCOMES = ['success', 'denied', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AUDIT_ACTIONS = [
  'read',
  'search',
  'create',
  'update',
  'delete',
  'export',
  'verify',
  'login',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * What an audit event is about. One closed list: the staff log and the citizen's Min log translate every one
 * (their message catalogues are typed by it), so no event reads as a raw key.
 */
export const AUDIT_RESOURCES = [
  'citizen',
  'citizen_narrative',
  'network_member',
  'case',
  'assessment',
  'goal',
  'goal_proposal',
  'action_plan',
  'service',
  'follow_up',
  'follow_up_preparation',
  'measurement',
  'outcomes',
  'timeline',
  'worklist',
  'community_link',
  'consent',
  'representation',
  'message_thread',
  'message',
  'partner_view',
  'partner_citizen_list',
  'portal_plan',
  'portal_settings',
  'citizen_session',
  'my_data',
  'log_question',
  'audit_log',
  'import',
  'key_figures',
  'key_figures_exchange',
  'comparison_group',
  'key_figure_settings',
  'survey_questionnaire',
  'survey_round',
  'survey_report',
  'survey_quote',
  'survey_import',
] as const;
export type AuditResource = (typeof AUDIT_RESOURCES)[number];

/** What a citizen's consent lets a partner see (issue 14). */
export const CONSENT_SCOPES = ['goals', 'plan', 'measures', 'contact'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

/** How a consent was given: in the portal by the citizen, or recorded by staff from paper or a meeting. */
export const CONSENT_GIVEN_HOW = ['portal', 'paper', 'meeting', 'phone'] as const;
export type ConsentGivenHow = (typeof CONSENT_GIVEN_HOW)[number];
