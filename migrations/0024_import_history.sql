ALTER TABLE "assessments" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "action_plans" ADD COLUMN "external_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_external_id_key" ON "assessments" USING btree ("municipality_id","external_id") WHERE "assessments"."external_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "action_plans_external_id_key" ON "action_plans" USING btree ("municipality_id","external_id") WHERE "action_plans"."external_id" is not null;