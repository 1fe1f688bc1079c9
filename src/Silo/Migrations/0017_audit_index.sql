-- GET /admin/audit (SPEC.md 8.6) pages newest first by id, alone or under one filter each of actor, action and
-- entity; each index ends in id so a page is a range scan. The entity index of 0003 ended in at and nothing reads
-- it that way, so it is replaced rather than kept beside the new one.
create index audit_log_actor on audit_log (actor_id, id) where actor_id is not null;
create index audit_log_action on audit_log (action, id);
drop index audit_log_entity;
create index audit_log_entity on audit_log (entity_type, entity_id, id);
