-- Issue 5: comparing across deployments. An exchange file (docs/benchmark-exchange.md) carries one
-- municipality's published totals. Loading it needs the municipality as a tenant here: this returns it,
-- creating it (with no users) when the deployment does not have it yet, and says whether it has users (then
-- its figures are computed here from its own pathways, and a file must not replace them).
ALTER TABLE key_figure_state ADD CONSTRAINT key_figure_state_source_check CHECK (source in ('computed','exchange'));
--> statement-breakpoint
CREATE FUNCTION exchange_municipality(p_code text, p_name text) RETURNS TABLE (id uuid, has_users boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_new uuid := gen_random_uuid();
  v_tenant text := current_setting('app.municipality_id', true);
BEGIN
  IF p_code !~ '^[0-9]{3}$' THEN
    RAISE EXCEPTION 'invalid kommunekode' USING ERRCODE = '22023';
  END IF;
  -- FORCEd RLS binds the owner too: the new row is its own tenant while it is inserted; the caller's
  -- tenant is restored before returning.
  PERFORM set_config('app.municipality_id', v_new::text, true);
  INSERT INTO public.municipalities (id, code, name) VALUES (v_new, p_code, p_name) ON CONFLICT (code) DO NOTHING;
  PERFORM set_config('app.municipality_id', coalesce(v_tenant, ''), true);
  RETURN QUERY SELECT m.id, EXISTS (SELECT 1 FROM public.users u WHERE u.municipality_id = m.id)
                 FROM public.municipalities m WHERE m.code = p_code;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION exchange_municipality(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION exchange_municipality(text, text) TO retning_app;
