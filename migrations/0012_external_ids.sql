ALTER TABLE "citizens" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "measurements" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "external_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "citizens_external_id_key" ON "citizens" USING btree ("municipality_id","external_id") WHERE "citizens"."external_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "cases_external_id_key" ON "cases" USING btree ("municipality_id","external_id") WHERE "cases"."external_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "follow_ups_external_id_key" ON "follow_ups" USING btree ("municipality_id","external_id") WHERE "follow_ups"."external_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "measurements_external_id_key" ON "measurements" USING btree ("municipality_id","external_id") WHERE "measurements"."external_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "services_external_id_key" ON "services" USING btree ("municipality_id","external_id") WHERE "services"."external_id" is not null;