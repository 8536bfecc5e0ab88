-- Mine data (GDPR art. 15; issue 14, decision 012): everything Retning holds about the citizen of the current
-- portal session, as JSON. It reads the citizen from the session's settings, never from a parameter, and is
-- granted to retning_citizen only. What it exports is decided by the schema, not by a list: every table with a
-- citizen_id column, then every table that hangs off an exported one by a tenant foreign key
-- (municipality_id, <column>) → (municipality_id, id), to a fixpoint; each row with all its columns. A new
-- table or column holding personal data is in the export without a change here (tests/my-data.test.ts checks
-- the catalogue independently). Left out: the citizen's own session rows (security tokens, not data about them).
CREATE FUNCTION portal_my_data() RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  me uuid := public.app_citizen_id();
  m uuid := public.app_municipality_id();
  result jsonb;
  found_rows jsonb;
  t record;
  changed boolean := true;
BEGIN
  IF me IS NULL OR m IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT jsonb_build_object('citizens', coalesce(jsonb_agg(to_jsonb(c)), '[]'::jsonb)) INTO result
    FROM public.citizens c WHERE c.id = me AND c.municipality_id = m;
  FOR t IN
    SELECT c.relname FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attname = 'citizen_id' AND NOT a.attisdropped
       AND c.relname <> 'citizen_sessions'
     ORDER BY 1
  LOOP
    EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(x)), ''[]''::jsonb) FROM public.%I x '
                   'WHERE x.municipality_id = $1 AND x.citizen_id = $2', t.relname)
      INTO found_rows USING m, me;
    result := result || jsonb_build_object(t.relname, found_rows);
  END LOOP;
  WHILE changed LOOP
    changed := false;
    FOR t IN
      SELECT child.relname AS child, parent.relname AS parent, col.attname AS col
        FROM pg_constraint k
        JOIN pg_class child ON child.oid = k.conrelid
        JOIN pg_class parent ON parent.oid = k.confrelid
        JOIN pg_namespace n ON n.oid = child.relnamespace
        JOIN pg_attribute tenant ON tenant.attrelid = k.conrelid AND tenant.attnum = k.conkey[1]
        JOIN pg_attribute col ON col.attrelid = k.conrelid AND col.attnum = k.conkey[2]
       WHERE k.contype = 'f' AND n.nspname = 'public' AND array_length(k.conkey, 1) = 2
         AND tenant.attname = 'municipality_id' AND child.relname <> 'citizen_sessions'
       ORDER BY 1, 2, 3
    LOOP
      IF result ? t.parent AND NOT result ? t.child THEN
        EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(x)), ''[]''::jsonb) FROM public.%I x '
                       'WHERE x.municipality_id = $1 AND x.%I IN '
                       '(SELECT (e->>''id'')::uuid FROM jsonb_array_elements($2) e)', t.child, t.col)
          INTO found_rows USING m, result -> t.parent;
        result := result || jsonb_build_object(t.child, found_rows);
        changed := true;
      END IF;
    END LOOP;
  END LOOP;
  RETURN result;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION portal_my_data() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION portal_my_data() TO retning_citizen;
