CREATE TABLE "assessment_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"ffb_list" text NOT NULL,
	"theme_code" text NOT NULL,
	"informant_list" text NOT NULL,
	"informant_code" text NOT NULL,
	"body" text NOT NULL,
	CONSTRAINT "assessment_accounts_key" UNIQUE("assessment_id","theme_code","informant_code")
);
--> statement-breakpoint
CREATE TABLE "assessment_conditions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"ffb_list" text NOT NULL,
	"subtheme_code" text NOT NULL,
	"level" smallint,
	"note" text DEFAULT '' NOT NULL,
	"in_focus" boolean DEFAULT false NOT NULL,
	CONSTRAINT "assessment_conditions_key" UNIQUE("assessment_id","subtheme_code"),
	CONSTRAINT "assessment_conditions_level_check" CHECK ("assessment_conditions"."level" is null or "assessment_conditions"."level" between 0 and 4)
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"assessed_on" date NOT NULL,
	"ffb_list" text NOT NULL,
	"support_need_code" text,
	"support_need_note" text DEFAULT '' NOT NULL,
	"citizen_perspective" text DEFAULT '' NOT NULL,
	"citizen_resources" text DEFAULT '' NOT NULL,
	"professional_judgement" text DEFAULT '' NOT NULL,
	"housing" text,
	"employment" text,
	"education" text,
	"psychiatry_contact" text,
	"admissions_12m" smallint,
	"admission_days_12m" smallint,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"completed_at" timestamp with time zone,
	"completed_by" uuid,
	CONSTRAINT "assessments_municipality_id_id_key" UNIQUE("municipality_id","id"),
	CONSTRAINT "assessments_kind_check" CHECK ("assessments"."kind" in ('initial','reassessment','follow_up')),
	CONSTRAINT "assessments_status_check" CHECK ("assessments"."status" in ('draft','completed')),
	CONSTRAINT "assessments_life_check" CHECK (("assessments"."housing" is null or "assessments"."housing" in ('own_home','with_family','temporary_housing','supported_temporary','supported_long_term','homeless','shelter','hospital','other'))
      and ("assessments"."employment" is null or "assessments"."employment" in ('ordinary_job','flex_or_special_terms','protected_employment','in_education','unemployed','sick_leave','early_retirement','other'))
      and ("assessments"."education" is null or "assessments"."education" in ('primary','upper_secondary','vocational','higher','none_completed'))
      and ("assessments"."psychiatry_contact" is null or "assessments"."psychiatry_contact" in ('none','gp_only','outpatient','admitted_last_12m'))
      and ("assessments"."admissions_12m" is null or "assessments"."admissions_12m" between 0 and 365)
      and ("assessments"."admission_days_12m" is null or "assessments"."admission_days_12m" between 0 and 366))
);
--> statement-breakpoint
CREATE TABLE "case_number_counters" (
	"municipality_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last_value" integer NOT NULL,
	CONSTRAINT "case_number_counters_municipality_id_year_pk" PRIMARY KEY("municipality_id","year")
);
--> statement-breakpoint
CREATE TABLE "case_phase_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"from_phase" text,
	"to_phase" text NOT NULL,
	"author_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"case_number" text NOT NULL,
	"phase" text DEFAULT 'opened' NOT NULL,
	"reason" text NOT NULL,
	"authority_unit_id" uuid NOT NULL,
	"caseworker_id" uuid,
	"opened_on" date NOT NULL,
	"closed_on" date,
	"end_reason_list" text,
	"end_reason_code" text,
	"closing_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	CONSTRAINT "cases_municipality_id_id_key" UNIQUE("municipality_id","id"),
	CONSTRAINT "cases_number_key" UNIQUE("municipality_id","case_number"),
	CONSTRAINT "cases_phase_check" CHECK ("cases"."phase" in ('opened','assessment','judgement','plan','ordering','provision','follow_up','closed')),
	CONSTRAINT "cases_closed_check" CHECK (("cases"."phase" = 'closed') = ("cases"."closed_on" is not null) and ("cases"."closed_on" is null or "cases"."end_reason_code" is not null))
);
--> statement-breakpoint
CREATE TABLE "catalogue_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"paragraph_list" text,
	"paragraph_code" text,
	"ffb_list" text,
	"ydelse_code" text,
	"provider_unit_id" uuid,
	"price_amount" numeric(12, 2),
	"price_unit" text,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalogue_items_municipality_id_id_key" UNIQUE("municipality_id","id"),
	CONSTRAINT "catalogue_items_code_key" UNIQUE("municipality_id","kind","code"),
	CONSTRAINT "catalogue_items_kind_check" CHECK ("catalogue_items"."kind" in ('method','local_service')),
	CONSTRAINT "catalogue_items_price_check" CHECK (("catalogue_items"."price_amount" is null) = ("catalogue_items"."price_unit" is null) and ("catalogue_items"."price_unit" is null or "catalogue_items"."price_unit" in ('hour','month')) and ("catalogue_items"."price_amount" is null or "catalogue_items"."price_amount" >= 0))
);
--> statement-breakpoint
CREATE TABLE "goal_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"snapshot" jsonb,
	"body" text,
	"author_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_events_kind_check" CHECK ("goal_events"."kind" in ('created','updated','note'))
);
--> statement-breakpoint
CREATE TABLE "goals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"parent_goal_id" uuid,
	"citizen_goal_id" uuid,
	"words_of" text NOT NULL,
	"title" text NOT NULL,
	"what" text DEFAULT '' NOT NULL,
	"measure" text DEFAULT '' NOT NULL,
	"due_on" date,
	"helpers" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"ffb_list" text,
	"subtheme_code" text,
	"expected_level" smallint,
	"goal_type_code" text,
	"gas_weight" smallint DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	CONSTRAINT "goals_municipality_id_id_key" UNIQUE("municipality_id","id"),
	CONSTRAINT "goals_kind_check" CHECK ("goals"."kind" in ('citizen_goal','purpose','intervention','sub')),
	CONSTRAINT "goals_words_of_check" CHECK ("goals"."words_of" in ('citizen','citizen_supported','caseworker','provider')),
	CONSTRAINT "goals_status_check" CHECK ("goals"."status" in ('proposed','active','achieved','partly_achieved','not_achieved','cancelled')),
	CONSTRAINT "goals_level_check" CHECK ("goals"."expected_level" is null or "goals"."expected_level" between 0 and 4),
	CONSTRAINT "goals_weight_check" CHECK ("goals"."gas_weight" between 1 and 4),
	CONSTRAINT "goals_shape_check" CHECK (("goals"."kind" <> 'intervention' or ("goals"."subtheme_code" is not null and "goals"."expected_level" is not null and "goals"."goal_type_code" is not null))
      and ("goals"."kind" <> 'sub' or "goals"."parent_goal_id" is not null)
      and ("goals"."kind" = 'sub' or "goals"."parent_goal_id" is null))
);
--> statement-breakpoint
CREATE TABLE "code_lists" (
	"key" text PRIMARY KEY NOT NULL,
	"system" text NOT NULL,
	"version" text NOT NULL,
	"title" text NOT NULL,
	"source" text NOT NULL,
	"checksum" text NOT NULL,
	"is_current" boolean DEFAULT false NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "code_lists_system_version_key" UNIQUE("system","version")
);
--> statement-breakpoint
CREATE TABLE "codes" (
	"list_key" text NOT NULL,
	"code" text NOT NULL,
	"parent_code" text,
	"kind" text NOT NULL,
	"display" text NOT NULL,
	"definition" text DEFAULT '' NOT NULL,
	"sort_order" integer NOT NULL,
	"attrs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "codes_list_key_code_pk" PRIMARY KEY("list_key","code")
);
--> statement-breakpoint
CREATE TABLE "instruments" (
	"key" text NOT NULL,
	"version" text NOT NULL,
	"definition" jsonb NOT NULL,
	"checksum" text NOT NULL,
	"is_current" boolean DEFAULT false NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instruments_key_version_pk" PRIMARY KEY("key","version")
);
--> statement-breakpoint
ALTER TABLE "assessment_accounts" ADD CONSTRAINT "assessment_accounts_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_accounts" ADD CONSTRAINT "assessment_accounts_assessment_fk" FOREIGN KEY ("municipality_id","assessment_id") REFERENCES "public"."assessments"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_accounts" ADD CONSTRAINT "assessment_accounts_theme_fk" FOREIGN KEY ("ffb_list","theme_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_accounts" ADD CONSTRAINT "assessment_accounts_informant_fk" FOREIGN KEY ("informant_list","informant_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_conditions" ADD CONSTRAINT "assessment_conditions_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_conditions" ADD CONSTRAINT "assessment_conditions_assessment_fk" FOREIGN KEY ("municipality_id","assessment_id") REFERENCES "public"."assessments"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_conditions" ADD CONSTRAINT "assessment_conditions_code_fk" FOREIGN KEY ("ffb_list","subtheme_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_case_fk" FOREIGN KEY ("municipality_id","case_id") REFERENCES "public"."cases"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_support_need_fk" FOREIGN KEY ("ffb_list","support_need_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_number_counters" ADD CONSTRAINT "case_number_counters_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_phase_events" ADD CONSTRAINT "case_phase_events_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_phase_events" ADD CONSTRAINT "case_phase_events_case_fk" FOREIGN KEY ("municipality_id","case_id") REFERENCES "public"."cases"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_unit_fk" FOREIGN KEY ("municipality_id","authority_unit_id") REFERENCES "public"."org_units"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_caseworker_fk" FOREIGN KEY ("municipality_id","caseworker_id") REFERENCES "public"."users"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_end_reason_fk" FOREIGN KEY ("end_reason_list","end_reason_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_items" ADD CONSTRAINT "catalogue_items_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_items" ADD CONSTRAINT "catalogue_items_paragraph_fk" FOREIGN KEY ("paragraph_list","paragraph_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_items" ADD CONSTRAINT "catalogue_items_ydelse_fk" FOREIGN KEY ("ffb_list","ydelse_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_items" ADD CONSTRAINT "catalogue_items_unit_fk" FOREIGN KEY ("municipality_id","provider_unit_id") REFERENCES "public"."org_units"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_events" ADD CONSTRAINT "goal_events_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_events" ADD CONSTRAINT "goal_events_goal_fk" FOREIGN KEY ("municipality_id","goal_id") REFERENCES "public"."goals"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_case_fk" FOREIGN KEY ("municipality_id","case_id") REFERENCES "public"."cases"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_parent_fk" FOREIGN KEY ("municipality_id","parent_goal_id") REFERENCES "public"."goals"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_citizen_goal_fk" FOREIGN KEY ("municipality_id","citizen_goal_id") REFERENCES "public"."goals"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_subtheme_fk" FOREIGN KEY ("ffb_list","subtheme_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_goal_type_fk" FOREIGN KEY ("ffb_list","goal_type_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "codes" ADD CONSTRAINT "codes_list_key_code_lists_key_fk" FOREIGN KEY ("list_key") REFERENCES "public"."code_lists"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessments_case_idx" ON "assessments" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "assessments_citizen_idx" ON "assessments" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "case_phase_events_case_idx" ON "case_phase_events" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "cases_citizen_idx" ON "cases" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "cases_caseworker_idx" ON "cases" USING btree ("municipality_id","caseworker_id");--> statement-breakpoint
CREATE INDEX "goal_events_goal_idx" ON "goal_events" USING btree ("goal_id","created_at");--> statement-breakpoint
CREATE INDEX "goals_case_idx" ON "goals" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "goals_citizen_idx" ON "goals" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "codes_kind_idx" ON "codes" USING btree ("list_key","kind");