ALTER TABLE "municipalities" ADD COLUMN "kind" text DEFAULT 'municipality' NOT NULL;--> statement-breakpoint
ALTER TABLE "municipalities" ADD CONSTRAINT "municipalities_kind_check" CHECK ("municipalities"."kind" in ('municipality','national_agency'));--> statement-breakpoint
-- The demo's national agency (seeded before tenants had kinds) is the agency.
UPDATE "municipalities" SET "kind" = 'national_agency' WHERE "code" = 'SBST';
