-- Tables and query texts for the Orleans 10.4.2 ADO.NET grain-state and reminder providers
-- (contract: shared/reference/orleans-adonet-contract.md). Cluster membership lives in Redis, so no
-- clustering tables here. Written for this project: unique grain identity, timestamptz everywhere, and
-- conflicts reported by returning an unchanged version rather than by raising.

create table orleansquery (
    querykey  text primary key,
    querytext text not null
);

create table orleans_storage (
    service_id          text    not null,
    state_name          text    not null,
    grain_id_n0         bigint  not null,
    grain_id_n1         bigint  not null,
    grain_id_extension  text,
    grain_id_hash       integer not null,
    state_name_hash     integer not null,
    payload             bytea,
    version             integer not null,
    modified_on         timestamptz not null default now()
);
-- One row per grain identity; NULL extensions compare equal (PostgreSQL 15+). md5 keeps index rows small
-- whatever the length of string keys.
create unique index orleans_storage_identity on orleans_storage
    (grain_id_hash, state_name_hash, service_id, md5(state_name), grain_id_n0, grain_id_n1, md5(grain_id_extension))
    nulls not distinct;

create table orleans_reminders (
    service_id    text        not null,
    grain_id      text        not null,
    reminder_name text        not null,
    start_time    timestamptz not null,
    period_ms     bigint      not null,
    grain_hash    integer     not null,
    version       integer     not null,
    primary key (service_id, grain_id, reminder_name)
);
create index orleans_reminders_ring on orleans_reminders (service_id, grain_hash);

-- Identity predicate shared by the four storage queries (inlined in each text below).
insert into orleansquery (querykey, querytext) values
('ReadFromStorageKey', $q$
select payload as "PayloadBinary", version as "Version"
from orleans_storage
where grain_id_hash = @GrainIdHash and state_name_hash = @GrainTypeHash
  and service_id = @ServiceId and state_name = @GrainTypeString
  and grain_id_n0 = @GrainIdN0 and grain_id_n1 = @GrainIdN1
  and grain_id_extension is not distinct from @GrainIdExtensionString
$q$),
-- Insert when the grain has no version yet (a concurrent first write loses on the unique index and gets
-- no row, which Orleans reports as a version conflict); otherwise compare-and-swap on the version.
('WriteToStorageKey', $q$
with inserted as (
    insert into orleans_storage (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension,
                                 grain_id_hash, state_name_hash, payload, version)
    select @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
           @GrainIdHash, @GrainTypeHash, @PayloadBinary, 1
    where @GrainStateVersion::integer is null
    on conflict do nothing
    returning version
), updated as (
    update orleans_storage
    set payload = @PayloadBinary,
        version = case when version = 2147483647 then 1 else version + 1 end,
        modified_on = now()
    where @GrainStateVersion::integer is not null
      and grain_id_hash = @GrainIdHash and state_name_hash = @GrainTypeHash
      and service_id = @ServiceId and state_name = @GrainTypeString
      and grain_id_n0 = @GrainIdN0 and grain_id_n1 = @GrainIdN1
      and grain_id_extension is not distinct from @GrainIdExtensionString
      and version = @GrainStateVersion
    returning version
)
select version as "NewGrainStateVersion" from inserted
union all
select version from updated
$q$),
-- Clearing keeps the row (with a NULL payload) so that its version survives for the next write.
('ClearStorageKey', $q$
update orleans_storage
set payload = null,
    version = case when version = 2147483647 then 1 else version + 1 end,
    modified_on = now()
where grain_id_hash = @GrainIdHash and state_name_hash = @GrainTypeHash
  and service_id = @ServiceId and state_name = @GrainTypeString
  and grain_id_n0 = @GrainIdN0 and grain_id_n1 = @GrainIdN1
  and grain_id_extension is not distinct from @GrainIdExtensionString
  and version = @GrainStateVersion
returning version
$q$),
('DeleteStorageKey', $q$
delete from orleans_storage
where grain_id_hash = @GrainIdHash and state_name_hash = @GrainTypeHash
  and service_id = @ServiceId and state_name = @GrainTypeString
  and grain_id_n0 = @GrainIdN0 and grain_id_n1 = @GrainIdN1
  and grain_id_extension is not distinct from @GrainIdExtensionString
  and version = @GrainStateVersion
returning version + 1
$q$),
('ReadReminderRowsKey', $q$
select grain_id as "GrainId", reminder_name as "ReminderName", start_time as "StartTime",
       period_ms as "Period", version as "Version"
from orleans_reminders
where service_id = @ServiceId and grain_id = @GrainId
$q$),
('ReadReminderRowKey', $q$
select grain_id as "GrainId", reminder_name as "ReminderName", start_time as "StartTime",
       period_ms as "Period", version as "Version"
from orleans_reminders
where service_id = @ServiceId and grain_id = @GrainId and reminder_name = @ReminderName
$q$),
('ReadRangeRows1Key', $q$
select grain_id as "GrainId", reminder_name as "ReminderName", start_time as "StartTime",
       period_ms as "Period", version as "Version"
from orleans_reminders
where service_id = @ServiceId and grain_hash > @BeginHash and grain_hash <= @EndHash
$q$),
('ReadRangeRows2Key', $q$
select grain_id as "GrainId", reminder_name as "ReminderName", start_time as "StartTime",
       period_ms as "Period", version as "Version"
from orleans_reminders
where service_id = @ServiceId and (grain_hash > @BeginHash or grain_hash <= @EndHash)
$q$),
('UpsertReminderRowKey', $q$
insert into orleans_reminders (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
values (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period::bigint, @GrainHash, 0)
on conflict (service_id, grain_id, reminder_name) do update
set start_time = excluded.start_time,
    period_ms  = excluded.period_ms,
    grain_hash = excluded.grain_hash,
    version    = case when orleans_reminders.version = 2147483647 then 0 else orleans_reminders.version + 1 end
returning version as "Version"
$q$),
('DeleteReminderRowKey', $q$
with deleted as (
    delete from orleans_reminders
    where service_id = @ServiceId and grain_id = @GrainId and reminder_name = @ReminderName and version = @Version
    returning 1
)
select count(*) > 0 from deleted
$q$),
('DeleteReminderRowsKey', $q$
delete from orleans_reminders where service_id = @ServiceId
$q$);
