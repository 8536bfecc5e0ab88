import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  consentParams,
  idParams,
  portalConsentBody,
  portalConsentNarrowBody,
  staffConsentBody,
} from '../../../shared/schemas';
import { notFound } from '../../platform/errors';
import { inPortal, inTenant } from '../../platform/request';
import { loadCitizenAllowed } from '../citizens/citizens.service';
import {
  citizenConsents,
  giveConsent,
  myConsents,
  narrowConsent,
  partnerCitizens,
  partnerView,
  recordConsent,
  withdrawConsent,
} from './consents.service';

/** Consents: given and withdrawn by the citizen in the portal, recorded by staff, enforced for partners. */
export async function registerConsentRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { reference: ref, clock } = app.ctx;
  const CONSENT = 'Samtykket';

  // ---------- the partner organisation ----------
  app.get('/api/partner/citizens', {
    schema: { tags: ['partner'], summary: 'Borgere, der har givet min enhed samtykke' },
    config: { policy: { action: 'partner.read' }, audited: true },
    handler: async (req) => ({
      items: await inTenant(req, (tx, ctx) => partnerCitizens(tx, ctx, clock.now())),
    }),
  });

  app.get('/api/partner/citizens/:id', {
    schema: { tags: ['partner'], summary: 'Det, borgerens samtykke giver adgang til', params: idParams },
    config: { policy: { action: 'partner.read' }, audited: true },
    handler: async (req) => {
      const view = await inTenant(req, (tx, ctx) => partnerView(tx, ctx, ref, req.params.id, clock.now()));
      if (!view) throw notFound('Borgeren');
      return view;
    },
  });

  // ---------- the citizen, in the portal ----------
  app.get('/api/portal/consents', {
    schema: { tags: ['portal'], summary: 'Mine samtykker' },
    config: { policy: { citizen: true }, audited: true },
    handler: (req) => inPortal(req, (tx, ctx) => myConsents(tx, ctx, ref, clock.now())),
  });

  app.post('/api/portal/consents', {
    schema: { tags: ['portal'], summary: 'Giv samtykke', body: portalConsentBody },
    config: { policy: { citizen: true }, audited: true },
    handler: async (req, reply) => {
      const id = await inPortal(req, (tx, ctx) => giveConsent(tx, ctx, ref, req.body, clock.now()));
      return reply.code(201).send({ id });
    },
  });

  app.post('/api/portal/consents/:id/withdraw', {
    schema: { tags: ['portal'], summary: 'Træk samtykke tilbage', params: consentParams },
    config: { policy: { citizen: true }, audited: true },
    handler: async (req, reply) => {
      const done = await inPortal(req, (tx, ctx) => withdrawConsent(tx, ctx, req.params.id, clock.now()));
      if (!done) throw notFound(CONSENT);
      return reply.code(204).send();
    },
  });

  app.post('/api/portal/consents/:id/narrow', {
    schema: {
      tags: ['portal'],
      summary: 'Gør et samtykke smallere',
      params: consentParams,
      body: portalConsentNarrowBody,
    },
    config: { policy: { citizen: true }, audited: true },
    handler: async (req, reply) => {
      const id = await inPortal(req, (tx, ctx) =>
        narrowConsent(tx, ctx, ref, req.params.id, req.body, clock.now()),
      );
      if (!id) throw notFound(CONSENT);
      return reply.code(201).send({ id });
    },
  });

  // ---------- staff: consent given on paper, at a meeting or by phone ----------
  app.get('/api/citizens/:id/consents', {
    schema: { tags: ['citizens'], summary: 'Borgerens samtykker', params: idParams },
    config: { policy: { action: 'citizen.read' }, audited: true },
    handler: async (req) => {
      // A refusal returns rather than throws inside the unit of work, so its audit event is committed.
      const page = await inTenant(req, async (tx, ctx) =>
        (await loadCitizenAllowed(tx, ctx, req.params.id, 'citizen.read', 'read', 'consent'))
          ? citizenConsents(tx, ref, req.params.id, clock.now())
          : null,
      );
      if (!page) throw notFound('Borgeren');
      return page;
    },
  });

  app.post('/api/citizens/:id/consents', {
    schema: {
      tags: ['citizens'],
      summary: 'Registrér samtykke givet på papir eller mundtligt',
      params: idParams,
      body: staffConsentBody,
    },
    config: { policy: { action: 'citizen.update' }, audited: true },
    handler: async (req, reply) => {
      const id = await inTenant(req, async (tx, ctx) =>
        (await loadCitizenAllowed(tx, ctx, req.params.id, 'citizen.update', 'update', 'consent'))
          ? recordConsent(tx, ctx, ref, req.params.id, req.body, clock.now())
          : null,
      );
      if (!id) throw notFound('Borgeren');
      return reply.code(201).send({ id });
    },
  });
}
