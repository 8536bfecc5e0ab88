/** Response shapes of the API, as the web app reads them. */
import type { AuditAction, AuditResource } from '../shared/enums';
export interface SessionInfo {
  user: { id: string; username: string; displayName: string };
  municipality: { id: string; name: string };
  roles: { role: string; unitId: string }[];
  permissions: string[];
  demo?: boolean;
  csrfToken: string;
}

export interface Narrative {
  version: number;
  body: string;
  writtenBy: 'citizen' | 'staff_on_behalf';
  authorName: string | null;
  createdAt: string;
}

export interface NetworkMember {
  id: string;
  revision: number;
  name: string;
  relation: string;
  helpsWith: string;
  phone: string | null;
  contactConsent: 'yes' | 'no' | 'not_asked';
  removed: boolean;
  writtenBy: 'citizen' | 'staff_on_behalf';
  authorName: string | null;
  updatedAt: string;
}

export interface CitizenSummary {
  id: string;
  firstName: string;
  lastName: string;
  cpr: string;
  cprMasked: boolean;
  /** YYYY-MM-DD, from the CPR number. */
  birthDate: string | null;
  responsibleCaseworker: { id: string; name: string | null } | null;
  responsibleUnit: { id: string; name: string | null } | null;
}

export interface Citizen extends CitizenSummary {
  phone: string | null;
  email: string | null;
  address: string | null;
  postalCode: string | null;
  city: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  narratives: { hopes: Narrative | null; resources: Narrative | null };
  network: NetworkMember[];
  permissions: { update: boolean; delete: boolean; writeOwnWords: boolean };
}

export interface OrgOptions {
  units: { id: string; name: string; kind: string }[];
  caseworkers: { id: string; displayName: string }[];
}

export interface Unit {
  id: string;
  name: string;
  kind: 'myndighed' | 'tilbud' | 'team' | 'partner';
  parentId: string | null;
  providerType: string | null;
  active: boolean;
  version: number;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  active: boolean;
  version: number;
  roles: { id: string; role: string; unitId: string }[];
}

export interface AuditEvent {
  id: string;
  chainId: number;
  chainSeq: number;
  occurredAt: string;
  requestId: string;
  actorUserId: string | null;
  actorName: string | null;
  actorRole: string | null;
  citizenId: string | null;
  /** Shown only to those who may read the citizen; null otherwise. */
  citizenName: string | null;
  action: AuditAction;
  resourceType: AuditResource;
  resourceId: string | null;
  criteria: Record<string, unknown> | null;
  purpose: string | null;
  outcome: 'success' | 'denied' | 'error';
}
