-- The administrator decides whether citizens see staff names in Min log and in messages (issue 14, item 7).
GRANT UPDATE (portal_show_staff_names) ON municipalities TO retning_app;
