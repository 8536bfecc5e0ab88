CREATE TABLE "mail_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"body" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "mail_outbox_status_check" CHECK ("mail_outbox"."status" in ('queued','sent','failed'))
);
--> statement-breakpoint
CREATE TABLE "survey_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"participant_municipality_id" uuid,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"token_sealed" text,
	"email" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"draft" jsonb,
	"reminders" integer DEFAULT 0 NOT NULL,
	"reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_links_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "survey_links_status_check" CHECK ("survey_links"."status" in ('pending','draft','submitted')),
	CONSTRAINT "survey_links_role_check" CHECK ("survey_links"."role" in ('udvalgsformand','direktoer','centerchef','myndighedschef','driftschef')),
	CONSTRAINT "survey_links_submitted_check" CHECK ("survey_links"."status" <> 'submitted' or ("survey_links"."email" is null and "survey_links"."draft" is null and "survey_links"."token_sealed" is null))
);
--> statement-breakpoint
CREATE TABLE "survey_participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"participant_municipality_id" uuid,
	"contact_email" text,
	"director_token_hash" text NOT NULL,
	"director_token_sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_participants_director_token_hash_unique" UNIQUE("director_token_hash"),
	CONSTRAINT "survey_participants_municipality_id_id_key" UNIQUE("municipality_id","id"),
	CONSTRAINT "survey_participants_round_code_key" UNIQUE("round_id","code")
);
--> statement-breakpoint
CREATE TABLE "survey_questionnaires" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"definition" jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"copied_from" text,
	"row_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_questionnaires_municipality_id_id_key" UNIQUE("municipality_id","id"),
	CONSTRAINT "survey_questionnaires_key_version_key" UNIQUE("municipality_id","key","version"),
	CONSTRAINT "survey_questionnaires_status_check" CHECK ("survey_questionnaires"."status" in ('draft','frozen'))
);
--> statement-breakpoint
CREATE TABLE "survey_quotes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"pejlemaerke" text NOT NULL,
	"role_label" text NOT NULL,
	"text" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"participant_code" text NOT NULL,
	"role" text NOT NULL,
	"answers" jsonb NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "survey_responses_source_check" CHECK ("survey_responses"."source" in ('web','import'))
);
--> statement-breakpoint
CREATE TABLE "survey_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"questionnaire_id" uuid NOT NULL,
	"title" text NOT NULL,
	"opens_on" date NOT NULL,
	"closes_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"participant_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"report" jsonb,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_rounds_municipality_id_id_key" UNIQUE("municipality_id","id"),
	CONSTRAINT "survey_rounds_status_check" CHECK ("survey_rounds"."status" in ('open','closed')),
	CONSTRAINT "survey_rounds_dates_check" CHECK ("survey_rounds"."closes_on" >= "survey_rounds"."opens_on")
);
--> statement-breakpoint
ALTER TABLE "role_assignments" DROP CONSTRAINT "role_assignments_role_check";--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_links" ADD CONSTRAINT "survey_links_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_links" ADD CONSTRAINT "survey_links_participant_fk" FOREIGN KEY ("municipality_id","participant_id") REFERENCES "public"."survey_participants"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_participants" ADD CONSTRAINT "survey_participants_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_participants" ADD CONSTRAINT "survey_participants_round_fk" FOREIGN KEY ("municipality_id","round_id") REFERENCES "public"."survey_rounds"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questionnaires" ADD CONSTRAINT "survey_questionnaires_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_quotes" ADD CONSTRAINT "survey_quotes_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_quotes" ADD CONSTRAINT "survey_quotes_round_fk" FOREIGN KEY ("municipality_id","round_id") REFERENCES "public"."survey_rounds"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_round_fk" FOREIGN KEY ("municipality_id","round_id") REFERENCES "public"."survey_rounds"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_rounds" ADD CONSTRAINT "survey_rounds_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_rounds" ADD CONSTRAINT "survey_rounds_questionnaire_fk" FOREIGN KEY ("municipality_id","questionnaire_id") REFERENCES "public"."survey_questionnaires"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_outbox_queued_idx" ON "mail_outbox" USING btree ("municipality_id","status");--> statement-breakpoint
CREATE INDEX "survey_links_round_idx" ON "survey_links" USING btree ("round_id","participant_id");--> statement-breakpoint
CREATE INDEX "survey_responses_round_idx" ON "survey_responses" USING btree ("round_id");--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_role_check" CHECK ("role_assignments"."role" in ('sagsbehandler','udfoerer','leder','analytiker','administrator','skemaadministrator','kontaktperson'));