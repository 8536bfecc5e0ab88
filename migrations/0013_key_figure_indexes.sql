CREATE INDEX "goal_events_tenant_idx" ON "goal_events" USING btree ("municipality_id","goal_id","created_at");--> statement-breakpoint
CREATE INDEX "action_plans_tenant_idx" ON "action_plans" USING btree ("municipality_id","case_id","version");--> statement-breakpoint
CREATE INDEX "follow_up_ratings_tenant_idx" ON "follow_up_ratings" USING btree ("municipality_id","follow_up_id");--> statement-breakpoint
CREATE INDEX "follow_ups_tenant_idx" ON "follow_ups" USING btree ("municipality_id","service_id","held_on");--> statement-breakpoint
CREATE INDEX "goal_offer_links_tenant_idx" ON "goal_offer_links" USING btree ("municipality_id","citizen_id");--> statement-breakpoint
CREATE INDEX "measurements_tenant_idx" ON "measurements" USING btree ("municipality_id","instrument_key","citizen_id","administered_on");